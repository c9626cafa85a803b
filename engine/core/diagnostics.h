// User-facing diagnostics and the two kinds of error.
//
// Bad input (a scenario with an unknown firm, a negative amount) is a `ScenarioError`
// carrying *every* diagnostic found, each with file, line, column and YAML path:
//
//   baseline.yaml:41:7: exposures[12].to: unknown firm 'opnai' (did you mean 'openai'?)
//
// The CLI prints them and exits with code 2. A broken invariant inside the engine is a bug:
// it is an `InternalError` (or a CASCADE_ASSERT), never triggered by user input.
#pragma once

#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cascade {

enum class Severity { error, warning };

/// A file name as diagnostics show it. Copies share one string: a loaded scenario holds a
/// location for every value it read (millions at 10^5 firms), all in a few files. Compares and
/// converts like the std::string it holds. Thread safety: as std::shared_ptr (copies may be
/// made and dropped on any thread).
class FileName {
 public:
  FileName() = default;
  FileName(std::string name)  // NOLINT(google-explicit-constructor): a name where a string was
      : name_(name.empty() ? nullptr : std::make_shared<const std::string>(std::move(name))) {}
  FileName(std::string_view name) : FileName(std::string(name)) {}  // NOLINT(google-explicit-constructor)
  FileName(const char* name) : FileName(std::string(name)) {}       // NOLINT(google-explicit-constructor)

  const std::string& str() const { return name_ ? *name_ : empty_name(); }
  operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
  bool empty() const { return name_ == nullptr; }

  friend bool operator==(const FileName& a, const FileName& b) { return a.name_ == b.name_ || a.str() == b.str(); }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }
  friend std::ostream& operator<<(std::ostream& out, const FileName& f);

 private:
  static const std::string& empty_name() {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> name_;  ///< nullptr: no name
};

struct SourceLocation {
  FileName file;     ///< path as the user gave it (or as resolved for includes)
  int line = 0;      ///< 1-based; 0 = unknown
  int column = 0;    ///< 1-based; 0 = unknown
};

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string path;     ///< YAML path, e.g. "exposures[12].to"; empty for whole-file problems
  std::string message;  ///< what is wrong, in plain words
  /// Errors this line stands for: 1, or N for a line that says N more errors are not listed.
  std::size_t error_count = 1;

  /// "file:line:col: path: message" (warnings say "warning: " before the path); a path longer
  /// than kMaxPathBytes is cut short.
  std::string format() const;
  static constexpr std::size_t kMaxPathBytes = 200;
};

/// Errors among `diagnostics`, those a "N more errors are not listed" line stands for included.
std::size_t count_errors(const std::vector<Diagnostic>& diagnostics);

/// Errors one Diagnostics lists; later ones are counted, so that an input with an error on
/// every line costs a bounded amount of memory and output.
inline constexpr std::size_t kMaxListedErrors = 1000;

/// Collects diagnostics while a loader or validator walks its input; never throws by itself.
/// Keeps the first kMaxListedErrors errors (and every warning) and counts the rest.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string path, std::string message);
  void warning(SourceLocation where, std::string path, std::string message);
  /// `count` errors a reader found but did not list (each reader bounds its own list), as one
  /// line that says `message` and stands for them all.
  void unlisted_errors(SourceLocation where, std::size_t count, std::string message);
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void append(const Diagnostics& other);

  bool has_errors() const;
  /// Every error reported, listed or not.
  std::size_t error_count() const { return error_count_; }
  /// True while another error would still be listed: build costly messages only then.
  bool listing_errors() const { return listed_errors_ < kMaxListedErrors; }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic> errors() const;
  std::vector<Diagnostic> warnings() const;

  /// Throws ScenarioError with the listed errors when any was reported (and, when some were
  /// not listed, a last line that counts them).
  void throw_if_errors() const;

 private:
  void add_error(Diagnostic d);

  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;    ///< every error, those not listed included
  std::size_t listed_errors_ = 0;  ///< error lines in items_
};

/// Bad user input. `what()` is every error, one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  /// One error at `where` (the file alone when line and column are unknown).
  ScenarioError(SourceLocation where, std::string path, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// A bug: an invariant the engine should have kept did not hold.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Length of the well-formed UTF-8 sequence at the start of `s` (not empty, s[0] >= 0x80; Unicode
/// Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view s);

/// Whether `s` starts with a character that terminals and pages act on instead of showing, apart
/// from the C0 controls: a C1 control (U+0080..U+009F; U+009B starts an escape sequence) or a
/// bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069), which can
/// reorder the rest of a line as it is displayed.
bool starts_with_format_control(std::string_view s);

/// `text` as a message quotes it: at most `max_bytes` bytes (then "... (N bytes)"), with control
/// characters (starts_with_format_control's included) and bytes that are not UTF-8 written as
/// \xNN, so that any input prints safely.
std::string excerpt(std::string_view text, std::size_t max_bytes = 80);

/// `text` with ASCII letters in lower case (others as they are): names compared as file
/// systems and SQLite column names compare them.
std::string ascii_lower_case(std::string_view text);

/// A number for a message to people: up to 6 significant digits.
std::string format_quantity(double value);

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace cascade

/// Checks an engine invariant; on failure throws InternalError naming the condition.
#define CASCADE_ASSERT(cond, what)                                                              \
  do {                                                                                          \
    if (!(cond))                                                                                \
      throw ::cascade::InternalError(std::string("internal error: ") + (what) + " [" #cond "] at " \
                                     __FILE__ ":" + std::to_string(__LINE__));                  \
  } while (false)
