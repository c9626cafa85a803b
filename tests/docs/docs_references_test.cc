// The documentation refers only to what the repository holds: every repository path written as
// `code` in a Markdown file exists, every directory a `cascade clear` or `cascade loops` example
// reads exists, and no file cites a design document that is not in the repository.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

namespace {
namespace fs = std::filesystem;

const fs::path kRoot = CASCADE_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Tracked text files with one of `extensions`, outside build directories.
std::vector<fs::path> files_with(const std::vector<std::string>& extensions) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(kRoot); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.starts_with("build") || name.starts_with("."))) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    for (const std::string& e : extensions)
      if (it->path().extension() == e) out.push_back(it->path());
  }
  return out;
}

/// `text` with its first {a,b,...} expanded: "x.{h,cc}" -> "x.h", "x.cc".
std::vector<std::string> expand_braces(const std::string& text) {
  const std::size_t open = text.find('{'), close = text.find('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return {text};
  std::vector<std::string> out;
  std::string alternatives = text.substr(open + 1, close - open - 1) + ",";
  for (std::size_t start = 0, comma; (comma = alternatives.find(',', start)) != std::string::npos; start = comma + 1)
    out.push_back(text.substr(0, open) + alternatives.substr(start, comma - start) + text.substr(close + 1));
  return out;
}

TEST(DocsReferences, EveryRepositoryPathInCodeSpansExists) {
  const std::regex code_span("`([^`\\s]+)`");
  const std::regex repository_path("(docs|engine|tests|tools|scenarios|bench|agents|cmake)/[A-Za-z0-9_./{},-]*");
  std::size_t checked = 0;
  for (const fs::path& md : files_with({".md"})) {
    const std::string text = read(md);
    for (std::sregex_iterator m(text.begin(), text.end(), code_span), end; m != end; ++m) {
      const std::string span = (*m)[1];
      if (!std::regex_match(span, repository_path)) continue;
      for (const std::string& path : expand_braces(span)) {
        ++checked;
        // From the repository root, or from the Markdown file's folder (tests/README.md: `tools/...`).
        EXPECT_TRUE(fs::exists(kRoot / path) || fs::exists(md.parent_path() / path))
            << fs::relative(md, kRoot).string() << " refers to `" << path << "`, which does not exist";
      }
    }
  }
  EXPECT_GT(checked, 50u) << "the scan found almost no paths: is CASCADE_SOURCE_DIR right?";
}

TEST(DocsReferences, ExampleCommandsReadDirectoriesThatExist) {
  // `cascade clear PATH` and `cascade loops PATH` with a path (not a placeholder such as DIR).
  const std::regex example("cascade (clear|loops) ([a-z][A-Za-z0-9_./-]*/[A-Za-z0-9_./-]*)");
  std::size_t checked = 0;
  for (const fs::path& md : files_with({".md"})) {
    const std::string text = read(md);
    for (std::sregex_iterator m(text.begin(), text.end(), example), end; m != end; ++m) {
      ++checked;
      EXPECT_TRUE(fs::exists(kRoot / (*m)[2].str()))
          << fs::relative(md, kRoot).string() << ": `" << m->str() << "` reads a path that does not exist";
    }
  }
  EXPECT_GT(checked, 5u);
}

TEST(DocsReferences, NoFileCitesADesignDocumentOutsideTheRepository) {
  // Built from parts so that this file does not match itself.
  const std::string design = std::string("DESIGN") + ".md", eba = std::string("eba-") + "2011";
  for (const fs::path& f : files_with({".md", ".h", ".cc", ".sh", ".py", ".yaml", ".txt"})) {
    const std::string text = read(f);
    EXPECT_EQ(text.find(design), std::string::npos) << fs::relative(f, kRoot).string() << " cites " << design;
    EXPECT_EQ(text.find(eba), std::string::npos)
        << fs::relative(f, kRoot).string() << " names a data set (" << eba << ") the repository does not hold";
  }
}

}  // namespace
