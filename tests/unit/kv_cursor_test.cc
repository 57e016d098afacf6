// List cursors and prefix bounds shared by both KV backends.
#include "storage/kv_cursor.h"

#include <gtest/gtest.h>

namespace pactown::storage {
namespace {

TEST(KvCursorTest, RoundTripsEveryByteString) {
  for (std::string key :
       {std::string("a"), std::string("ab"), std::string("abc"), std::string("\0\xff\x80", 3),
        std::string(512, '\xfe'), std::string("é")}) {
    std::string cursor = encodeCursor(key);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(decodeCursor(cursor), key);
  }
  EXPECT_EQ(encodeCursor("k05"), "azA1");
  EXPECT_FALSE(decodeCursor(""));
  EXPECT_FALSE(decodeCursor("a"));     // length 1 mod 4
  EXPECT_FALSE(decodeCursor("az+1"));  // not base64url
  EXPECT_FALSE(decodeCursor("YR"));    // non-zero padding bits
  EXPECT_EQ(decodeCursor("YQ"), "a");
}

TEST(KvCursorTest, PrefixEnd) {
  EXPECT_EQ(prefixEnd("abc"), "abd");
  EXPECT_EQ(prefixEnd("a\xff"), "b");
  EXPECT_EQ(prefixEnd("\xc3\xa9"), "\xc3\xaa");
  EXPECT_FALSE(prefixEnd(""));
  EXPECT_FALSE(prefixEnd("\xff\xff"));
}

}  // namespace
}  // namespace pactown::storage
