// The sweep journal: records survive reopening in any order, a torn or corrupt tail is dropped,
// a chunk recorded twice keeps its first record.
#include "engine/sweep/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {
namespace fs = std::filesystem;
using cascade::sweep::ChunkRecord;
using cascade::sweep::Journal;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cascade-journal-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = dir_ / "journal.cj";
  }
  void TearDown() override { fs::remove_all(dir_); }
  void append_raw(const std::string& bytes) const {
    std::ofstream out(file_, std::ios::binary | std::ios::app);
    out << bytes;
  }
  fs::path dir_;
  fs::path file_;
};

TEST(Crc32, MatchesTheStandardCheckValue) {
  // The CRC-32 (IEEE) check value of "123456789" is 0xCBF43926 (e.g. zlib, the CRC catalogue).
  EXPECT_EQ(cascade::sweep::crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(cascade::sweep::crc32(""), 0u);
  // Continued over pieces it is the CRC-32 of the whole (zlib's crc32(crc, buf, len)).
  EXPECT_EQ(cascade::sweep::crc32("456789", cascade::sweep::crc32("123")), 0xCBF43926u);
  EXPECT_EQ(cascade::sweep::crc32("123456789", cascade::sweep::crc32("")), 0xCBF43926u);
}

TEST_F(JournalTest, RecordsOutOfOrderReadBackAfterReopening) {
  {
    Journal j = Journal::open(file_);
    EXPECT_EQ(j.chunk_count(), 0u);
    j.append({.chunk = 2, .run_begin = 20, .run_end = 30}, "Rrow twenty\n");
    j.append({.chunk = 0, .run_begin = 0, .run_end = 10}, "Rrow zero\nRrow one\n");
    j.sync();
  }
  Journal j = Journal::open(file_);
  EXPECT_EQ(j.dropped_bytes(), 0u);
  ASSERT_EQ(j.chunk_count(), 2u);
  EXPECT_TRUE(j.has(0));
  EXPECT_FALSE(j.has(1));
  EXPECT_TRUE(j.has(2));
  EXPECT_EQ(j.read_payload(j.records().at(0)), "Rrow zero\nRrow one\n");
  EXPECT_EQ(j.read_payload(j.records().at(2)), "Rrow twenty\n");
  EXPECT_EQ(j.records().at(2).run_begin, 20u);
  EXPECT_EQ(j.records().at(2).run_end, 30u);
}

TEST_F(JournalTest, ATornTailIsDroppedAndAppendingContinuesAfterTheLastWholeRecord) {
  { Journal::open(file_).append({.chunk = 0, .run_begin = 0, .run_end = 1}, "Ra\n"); }
  const auto whole = fs::file_size(file_);
  append_raw("#chunk 1 1 2 100 1234");  // a header cut short, as a crash mid-write leaves it
  {
    Journal j = Journal::open(file_);
    EXPECT_EQ(j.dropped_bytes(), 21u);  // the length of the cut header
    EXPECT_EQ(fs::file_size(file_), whole);
    EXPECT_EQ(j.chunk_count(), 1u);
    j.append({.chunk = 1, .run_begin = 1, .run_end = 2}, "Rb\n");
  }
  Journal j = Journal::open(file_);
  ASSERT_EQ(j.chunk_count(), 2u);
  EXPECT_EQ(j.read_payload(j.records().at(1)), "Rb\n");
}

TEST_F(JournalTest, ARecordWhosePayloadDoesNotMatchItsChecksumEndsTheJournal) {
  {
    Journal j = Journal::open(file_);
    j.append({.chunk = 0, .run_begin = 0, .run_end = 1}, "Rfirst\n");
    j.append({.chunk = 1, .run_begin = 1, .run_end = 2}, "Rsecond\n");
  }
  std::string bytes;
  {
    std::ifstream in(file_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  bytes[bytes.size() - 3] ^= 0x20;  // flip one bit in the second payload
  {
    std::ofstream out(file_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  const Journal j = Journal::open_read_only(file_);
  EXPECT_EQ(j.chunk_count(), 1u);
  EXPECT_TRUE(j.has(0));
  EXPECT_GT(j.dropped_bytes(), 0u);
}

TEST_F(JournalTest, ARecordIsWrittenAsDocumented) {
  // docs/sweep-format.md, `journal.cj`: the first record of the tutorial's first-grid. Its CRC-32
  // is zlib's crc32 of "#chunk 0 0 1 48 " followed by the payload (Python: format(zlib.crc32(
  // b"#chunk 0 0 1 48 R0,0,0,1706659328222794,0,10,388.926708598069,1\n"), "x") = 669627f0).
  Journal::open(file_).append({.chunk = 0, .run_begin = 0, .run_end = 1},
                              "R0,0,0,1706659328222794,0,10,388.926708598069,1\n");
  std::ifstream in(file_, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, "#chunk 0 0 1 48 669627f0\nR0,0,0,1706659328222794,0,10,388.926708598069,1\n");
}

TEST_F(JournalTest, ADamagedHeaderEndsTheJournalAsADamagedPayloadDoes) {
  // A header's chunk number or length changed on disk (one digit): the record moved run 1's row
  // to chunk 3, so chunk 1 ran again and its row was written twice; a length of 10^11 zero-filled
  // a buffer of that size. Each now fails its record's check.
  const auto damaged_journal = [&](char from, char to) {
    fs::remove(file_);
    {
      Journal j = Journal::open(file_);
      j.append({.chunk = 0, .run_begin = 0, .run_end = 1}, "Rfirst\n");
      j.append({.chunk = 1, .run_begin = 1, .run_end = 2}, "Rsecond\n");
    }
    std::ifstream in(file_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t header = bytes.rfind("#chunk 1 1 2 8 ");
    EXPECT_NE(header, std::string::npos);
    bytes[bytes.find(from, header + 6)] = to;
    std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes;
    return Journal::open_read_only(file_);
  };
  const Journal renumbered = damaged_journal('1', '3');  // "#chunk 3 1 2 8 <crc>"
  EXPECT_EQ(renumbered.chunk_count(), 1u);
  EXPECT_TRUE(renumbered.has(0));
  EXPECT_FALSE(renumbered.has(3));
  fs::remove(file_);
  {
    Journal j = Journal::open(file_);
    j.append({.chunk = 0, .run_begin = 0, .run_end = 1}, "Rfirst\n");
  }
  const std::string too_long_record = "#chunk 1 1 2 99999999999 1234abcd\nRgarbage\n";
  append_raw(too_long_record);
  const Journal too_long = Journal::open_read_only(file_);
  EXPECT_EQ(too_long.chunk_count(), 1u);
  EXPECT_EQ(too_long.dropped_bytes(), too_long_record.size());
}

TEST_F(JournalTest, AChunkAppendedTwiceKeepsItsFirstRecord) {
  Journal j = Journal::open(file_);
  j.append({.chunk = 5, .run_begin = 50, .run_end = 51}, "Rfirst\n");
  j.append({.chunk = 5, .run_begin = 50, .run_end = 51}, "Rsecond\n");
  EXPECT_EQ(j.chunk_count(), 1u);
  EXPECT_EQ(j.read_payload(j.records().at(5)), "Rfirst\n");
}

TEST_F(JournalTest, ForeignBytesAreNotTakenForRecords) {
  append_raw("run_id,point\n0,0\n");
  const Journal j = Journal::open_read_only(file_);
  EXPECT_EQ(j.chunk_count(), 0u);
  EXPECT_EQ(j.dropped_bytes(), 17u);
}

}  // namespace
