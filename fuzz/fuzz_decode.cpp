// Charset decoding (input::decode): the first byte says html or text and which charset is
// declared; whatever the bytes, the result is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "input/decode.h"

namespace {
constexpr const char* kCharsets[] = {"",          "utf-8",    "windows-1252", "iso-8859-1", "shift_jis",
                                     "euc-jp",    "gb18030",  "big5",         "utf-16le",   "utf-16be",
                                     "koi8-r",    "iso-2022-jp", "x-user-defined", "nonsense", "utf-7",
                                     "euc-kr",    "utf-32",   "iso-8859-8-i", "windows-874", "ISO-2022-CN-EXT",
                                     "hz-gb-2312", "UTF-16",  "ibm-1047",     "scsu",       "bocu-1",
                                     "cesu-8",    "macintosh", "x-mac-cyrillic", "latin1",   "cp1252",
                                     "utf8",      "\"utf-8\""};
constexpr std::size_t kCount = sizeof kCharsets / sizeof kCharsets[0];
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool html = data[0] & 1;
  const char* declared = kCharsets[(data[0] >> 1) % kCount];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const scrubtext::input::Decoded d = scrubtext::input::decode(bytes, declared, html);
  fuzz::require(fuzz::valid_utf8(d.utf8), "decode() returns valid UTF-8");
  fuzz::require(!d.charset.empty(), "decode() names the charset it used");
  std::string copy(bytes);
  scrubtext::input::repair_utf8(copy);
  fuzz::require(fuzz::valid_utf8(copy), "repair_utf8() leaves valid UTF-8");
  (void)scrubtext::input::meta_charset(bytes);
  return 0;
}
