// base64 against RFC 4648's test vectors, binary bytes, and text that is not padded base64.
#include "base64.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("base64 encodes RFC 4648's vectors, with one, two or no padding characters") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode("k1") == "azE=");
}

TEST_CASE("base64 decodes RFC 4648's vectors") {
  CHECK(base64_decode("") == std::string());
  CHECK(base64_decode("Zg==") == std::string("f"));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("Zm9v") == std::string("foo"));
  CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
  CHECK(base64_decode("Zm9vYmE=") == std::string("fooba"));
  CHECK(base64_decode("Zm9vYmFy") == std::string("foobar"));
}

TEST_CASE("base64 carries binary bytes, including zero and the alphabet's last two characters") {
  const std::string zero_and_high{'\x00', '\xff', '\xfe'};
  CHECK(base64_encode(zero_and_high) == "AP/+");
  CHECK(base64_decode("AP/+") == zero_and_high);
  CHECK(base64_encode("\xfb\xff") == "+/8=");

  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
  // Lengths 0, 85, 170 and 255: every remainder modulo 3, so every padding.
  for (std::size_t length = 0; length <= every_byte.size(); length += 85) {
    const std::string bytes = every_byte.substr(every_byte.size() - length);
    INFO("length " << length);
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  }
  CHECK(base64_decode(base64_encode(every_byte)) == every_byte);
}

TEST_CASE("base64 refuses text that is not padded standard base64") {
  CHECK_FALSE(base64_decode("Zg").has_value());        // padding left out
  CHECK_FALSE(base64_decode("Zg=").has_value());       // length not a multiple of 4
  CHECK_FALSE(base64_decode("Z===").has_value());      // three padding characters
  CHECK_FALSE(base64_decode("Zg=a").has_value());      // a character after padding
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // padding before the end
  CHECK_FALSE(base64_decode("Zm9$").has_value());      // outside the alphabet
  CHECK_FALSE(base64_decode("Zm-_").has_value());      // the URL-safe alphabet is not this one
  CHECK_FALSE(base64_decode("Zm9v\n").has_value());
}
