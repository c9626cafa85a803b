#include "engine/network/plain_rows.h"

#include "engine/core/limits.h"

namespace cascade {

std::optional<std::uint32_t> canonical_index(std::string_view text, std::size_t bound) {
  std::size_t length = 0;
  std::uint32_t index = 0;
  if (!canonical_index_prefix(text, bound, length, index) || length != text.size()) return std::nullopt;
  return index;
}

namespace {

/// Reads the field at `at` in `lines` with `read(field, length, value)`; true when it takes the
/// field and `delimiter` follows, `at` then past the delimiter. Inlined: it runs three times a row.
template <typename T, typename Read>
[[gnu::always_inline]] inline bool field_then(std::string_view lines, std::size_t& at, char delimiter, const Read& read,
                                              T& value) {
  std::size_t length = 0;
  if (!read(std::string_view(lines.data() + at, lines.size() - at), length, value)) return false;
  if (at + length >= lines.size() || lines[at + length] != delimiter) return false;
  at += length + 1;
  return true;
}

}  // namespace

std::size_t plain_edge_row(std::string_view lines, std::size_t bound, IndexedPlainNetwork::Edge& edge) {
  const auto index = [bound](std::string_view text, std::size_t& length, std::uint32_t& value) {
    return canonical_index_prefix(text, bound, length, value);
  };
  std::size_t at = 0;
  std::uint32_t debtor = 0, creditor = 0;
  double amount = 0.0;
  if (!field_then(lines, at, ',', index, debtor) || !field_then(lines, at, ',', index, creditor) ||
      creditor == debtor || !field_then(lines, at, '\n', plain_decimal_prefix, amount) || !(amount > 0.0))
    return 0;
  edge = {debtor, creditor, amount};
  return at;
}

std::size_t plain_node_row(std::string_view lines, std::uint32_t index, PlainNodeRow& row) {
  const auto this_index = [index](std::string_view text, std::size_t& length, std::uint32_t& value) {
    return canonical_index_prefix(text, std::size_t{index} + 1, length, value) && value == index;
  };
  const auto amount = [](std::string_view text, std::size_t& length, double& value) {
    return plain_decimal_prefix(text, length, value) && value <= kMaxInputAmount;
  };
  std::size_t at = 0;
  std::uint32_t id = 0;
  if (!field_then(lines, at, ',', this_index, id)) return 0;
  const std::size_t id_bytes = at - 1;
  double assets = 0.0, liabilities = 0.0;
  if (!field_then(lines, at, ',', amount, assets) || !field_then(lines, at, '\n', amount, liabilities)) return 0;
  row = {lines.substr(0, id_bytes), assets, liabilities};
  return at;
}

}  // namespace cascade
