// The sweep journal: records survive reopening in any order, a torn or corrupt tail is dropped,
// a chunk recorded twice keeps its first record.
#include "engine/sweep/journal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
