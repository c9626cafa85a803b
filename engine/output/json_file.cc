#include "engine/output/json_file.h"

#include <cmath>
#include <fstream>

#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"

namespace cascade::output {

void write_json(std::string& out, const Json& value, int depth, JsonFloats floats) {
  constexpr int kIndentSpaces = 2;
  const auto newline = [&out](int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(level * kIndentSpaces), ' ');
  };
  switch (value.type()) {
    case Json::value_t::object: {
      if (value.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        out += Json(key).dump(-1, ' ', false, Json::error_handler_t::replace);  // keys may be firm ids
        out += ": ";
        write_json(out, item, depth + 1, key.ends_with("_relative") ? JsonFloats::exact : floats);
      }
      newline(depth);
      out += '}';
      return;
    }
    case Json::value_t::array: {
      if (value.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        write_json(out, item, depth + 1, floats);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Json::value_t::number_float: {
      const double x = value.get<double>();
      if (!std::isfinite(x))
        out += "null";  // JSON has no NaN or infinity
      else if (floats == JsonFloats::amounts)
        append_amount(out, x);
      else
        append_number(out, x);
      return;
    }
    case Json::value_t::string:
      // Replace invalid UTF-8 rather than fail: names come from user files.
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
    default:  // null, boolean, integers
      out += value.dump();
      return;
  }
}

void write_json_file(const std::filesystem::path& path, const Json& document, JsonFloats floats) {
  std::string text;
  write_json(text, document, 0, floats);
  text += '\n';
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream.write(text.data(), static_cast<std::streamsize>(text.size()));
  stream.close();
  if (!stream) throw OutputError(cannot_write(path));
}

}  // namespace cascade::output
