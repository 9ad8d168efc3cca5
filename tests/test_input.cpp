// Input stage: sniffing, gzip, charset decoding.
#include <zlib.h>

#include "input/decode.h"
#include "input/gzip.h"
#include "input/sniff.h"
#include "support.h"

using namespace scrubtext::input;

namespace {
std::string gzip_bytes(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
}  // namespace

TEST_CASE("sniff tells pages, text and binaries apart") {
  std::string why;
  CHECK(sniff("<!DOCTYPE html><html><body><p>Hi</p></body></html>", &why) == Sniffed::Html);
  CHECK(sniff("<div class=x><p>one</p><p>two</p></div>", &why) == Sniffed::Html);
  CHECK(sniff("Just a line of text.\nAnd another one, with < and > signs.\n", &why) == Sniffed::Text);
  // A one-element fragment is markup; text that merely mentions a tag later on is not.
  CHECK(sniff("<p>hello world, a paragraph piped in on its own</p>\n", &why) == Sniffed::Html);
  CHECK(sniff("  <div class=\"lead\">Lead text</div>", &why) == Sniffed::Html);
  CHECK(sniff("Write <p> to start a paragraph in HTML.\n", &why) == Sniffed::Text);
  CHECK(sniff("<3 this recipe, see <br> tags below\n", &why) == Sniffed::Text);
  CHECK(sniff("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", &why) == Sniffed::Binary);
  CHECK(why.find("PDF") != std::string::npos);
  CHECK(sniff(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), &why) == Sniffed::Binary);
  CHECK(why.find("PNG") != std::string::npos);
  CHECK(sniff(std::string("abc\0def\0ghi", 11), &why) == Sniffed::Binary);
  CHECK(why.find("NUL") != std::string::npos);
  // UTF-16 with a BOM is text, not binary, even though it is full of NUL bytes.
  const std::string utf16("\xFF\xFE<\0h\0t\0m\0l\0>\0", 14);
  CHECK(sniff(utf16, &why) == Sniffed::Html);
}

TEST_CASE("gzip members decompress; truncated and corrupt streams are reported") {
  const std::string page = "<html><body><p>" + std::string(5000, 'a') + "</p></body></html>";
  const std::string gz = gzip_bytes(page);
  REQUIRE(looks_gzip(gz));
  GunzipResult r = gunzip(gz, 1 << 20);
  CHECK(r.ok);
  CHECK(r.data == page);
  // Two members concatenated, as `cat a.gz b.gz` makes.
  r = gunzip(gz + gzip_bytes("tail"), 1 << 20);
  CHECK(r.ok);
  CHECK(r.data == page + "tail");
  r = gunzip(gz.substr(0, gz.size() / 2), 1 << 20);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("truncated") != std::string::npos);
  std::string corrupt = gz;
  corrupt[20] = static_cast<char>(corrupt[20] ^ 0x55);
  corrupt[21] = static_cast<char>(corrupt[21] ^ 0x55);
  CHECK_FALSE(gunzip(corrupt, 1 << 20).ok);
  r = gunzip(gz, 100);
  CHECK(r.too_large);
}

TEST_CASE("decode follows BOM, declared charset, meta charset, then detection") {
  // windows-1252 bytes declared by <meta charset>.
  const std::string latin = "<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xE9 \x93quoted\x94</p></body></html>";
  Decoded d = decode(latin, "", true);
  CHECK(d.charset.find("1252") != std::string::npos);
  CHECK(d.text().find("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D") != std::string::npos);
  CHECK(d.invalid == 0);
  // http-equiv form, and the ISO-8859-1 label read as windows-1252 (WHATWG).
  CHECK(meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">") == "iso-8859-1");
  d = decode("<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'><p>\x80uro</p>", "", true);
  CHECK(d.text().find("\xE2\x82\xAC" "uro") != std::string::npos);
  // A label that says Latin-1 over bytes that are valid UTF-8 is a mislabelled page.
  d = decode("<meta charset=iso-8859-1><p>Gr\xC3\xBC\xC3\x9F" "e</p>", "", true);
  CHECK(d.charset == "UTF-8");
  CHECK(d.text().find("Gr\xC3\xBC\xC3\x9F" "e") != std::string::npos);
  // The caller's declared charset (an HTTP header) wins over detection.
  d = decode("\xD0\xD2\xC9\xD7\xC5\xD4", "koi8-r", false);
  CHECK(d.text() == "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // привет
  // UTF-16LE with a BOM.
  d = decode(std::string("\xFF\xFEh\0i\0", 6), "", false);
  CHECK(d.text() == "hi");
  // Shift_JIS declared in <meta>.
  d = decode("<meta charset=shift_jis><p>\x93\xFA\x96\x7B</p>", "", true);
  CHECK(d.text().find("\xE6\x97\xA5\xE6\x9C\xAC") != std::string::npos);  // 日本
}

TEST_CASE("only the encodings of the web are decoded; other labels are ignored") {
  // ICU's BOCU-1 converter takes minutes on these 56 bytes (a fuzz_decode finding): a label
  // no browser decodes is treated as unknown, whoever gives it.
  std::string bocu = test::read_file(test::source_dir() / "testdata/hostile/decode-bocu1-hang.bin").substr(1);
  REQUIRE(bocu.size() == 56);
  Decoded d = decode(bocu, "bocu-1", false);
  CHECK(d.charset != "bocu-1");
  d = decode("<meta charset=\"utf-7\"><p>Caf+AOk-</p>", "", true);
  CHECK(d.charset != "utf-7");
  CHECK(d.text().find("Caf+AOk-") != std::string::npos);  // read as bytes, not as UTF-7
  for (const char* label : {"scsu", "cesu-8", "ibm-1047", "utf-32", "x-imap4-modified-utf7"})
    CHECK(decode("<p>plain ascii</p>", label, true).charset == "UTF-8");
  // The web's own labels still work, whatever their spelling.
  CHECK(decode("\xE9t\xE9", "ISO_8859-1", false).text() == "\xC3\xA9t\xC3\xA9");
  CHECK(decode("\x82\xA0", "Windows-31J", false).text() == "\xE3\x81\x82");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and is counted") {
  std::string s = "ok \xC3 broken \xE2\x82 and \xFF end";
  const std::size_t bad = repair_utf8(s);
  CHECK(bad == 3);
  CHECK(s == "ok \xEF\xBF\xBD broken \xEF\xBF\xBD and \xEF\xBF\xBD end");
  Decoded d = decode("plain \xC0\xAF text", "utf-8", false);
  CHECK(d.invalid >= 1);
  CHECK(d.text().find("\xEF\xBF\xBD") != std::string::npos);
}
