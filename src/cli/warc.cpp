#include "cli/warc.h"

#include <algorithm>
#include <cstring>

namespace scrubtext::cli {
namespace {

// Largest WARC record read into memory; larger records are skipped with an error.
constexpr std::size_t kMaxRecordBytes = std::size_t{256} << 20;

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

// "Name: value" → (lower(name), value)
bool split_header(const std::string& line, std::string& name, std::string& value) {
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  name = lower(trim(line.substr(0, colon)));
  value = trim(line.substr(colon + 1));
  return true;
}

std::string charset_of(const std::string& content_type) {
  const std::string low = lower(content_type);
  const std::size_t at = low.find("charset=");
  if (at == std::string::npos) return "";
  std::string v = content_type.substr(at + 8);
  const std::size_t end = v.find_first_of("; \t");
  if (end != std::string::npos) v = v.substr(0, end);
  v.erase(std::remove(v.begin(), v.end(), '"'), v.end());
  return v;
}

// Decodes an HTTP/1.1 chunked body; returns the input unchanged when it is not well-formed.
std::string dechunk(const std::string& body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) return body;
    std::size_t size = 0;
    const std::string hex = body.substr(pos, eol - pos);
    std::size_t k = 0;
    for (; k < hex.size(); ++k) {
      const char c = hex[k];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else break;
      size = size * 16 + static_cast<std::size_t>(d);
      if (size > body.size()) return body;
    }
    if (k == 0) return body;
    pos = eol + 2;
    if (size == 0) return out;
    if (pos + size > body.size()) return body;
    out.append(body, pos, size);
    pos += size + 2;
  }
  return out;
}

}  // namespace

WarcReader::WarcReader(const std::string& path) {
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) error_ = std::strerror(errno);
  else gzbuffer(file_, 1 << 17);
}

WarcReader::~WarcReader() {
  if (file_) gzclose(file_);
}

bool WarcReader::looks_like_warc(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  char buf[8] = {0};
  const int n = gzread(f, buf, sizeof buf);
  gzclose(f);
  return n >= 5 && std::memcmp(buf, "WARC/", 5) == 0;
}

bool WarcReader::read_line(std::string& line) {
  line.clear();
  char buf[4096];
  for (;;) {
    if (!gzgets(file_, buf, sizeof buf)) return !line.empty();
    line += buf;
    if (!line.empty() && line.back() == '\n') return true;
    if (line.size() > (1u << 20)) return true;  // absurd header line: stop growing
  }
}

bool WarcReader::read_exact(std::size_t n, std::string& out) {
  // The buffer grows with the bytes that arrive, not with the length the record claims.
  out.clear();
  std::size_t got = 0;
  while (got < n) {
    const std::size_t chunk = std::min<std::size_t>(n - got, std::size_t{1} << 20);
    out.resize(got + chunk);
    const int r = gzread(file_, out.data() + got, static_cast<unsigned>(chunk));
    if (r <= 0) {
      out.resize(got);
      return false;
    }
    got += static_cast<std::size_t>(r);
    out.resize(got);
  }
  return true;
}

std::optional<WarcPage> WarcReader::next() {
  if (!file_ || !error_.empty()) return std::nullopt;
  std::string line;
  for (;;) {
    // Skip blank lines between records, then expect the version line.
    do {
      if (!read_line(line)) return std::nullopt;
    } while (trim(line).empty());
    if (line.rfind("WARC/", 0) != 0) {
      error_ = "record " + std::to_string(index_) + ": expected a WARC version line";
      return std::nullopt;
    }
    std::string type, id, uri, date, name, value;
    std::size_t length = 0;
    bool have_length = false;
    while (read_line(line)) {
      if (trim(line).empty()) break;
      if (!split_header(line, name, value)) continue;
      if (name == "warc-type") type = lower(value);
      else if (name == "warc-record-id") id = value;
      else if (name == "warc-target-uri") uri = value;
      else if (name == "warc-date") date = value;
      else if (name == "content-length") {
        length = static_cast<std::size_t>(std::strtoull(value.c_str(), nullptr, 10));
        have_length = true;
      }
    }
    if (!have_length) {
      error_ = "record " + std::to_string(index_) + ": no Content-Length";
      return std::nullopt;
    }
    const std::size_t my_index = index_++;
    if (length > kMaxRecordBytes) {
      error_ = "record " + std::to_string(my_index) + ": larger than " + std::to_string(kMaxRecordBytes) + " bytes";
      return std::nullopt;
    }
    std::string block;
    if (!read_exact(length, block)) {
      error_ = "record " + std::to_string(my_index) + ": truncated (file ends inside the record)";
      return std::nullopt;
    }
    if (type != "response" && type != "resource") continue;
    if (!id.empty() && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    WarcPage page;
    page.record_id = id;
    page.target_uri = uri;
    page.date = date;
    page.index = my_index;
    if (type == "resource") {
      page.body = std::move(block);
      return page;
    }
    // HTTP response: status line and headers, then the body.
    std::size_t head_end = block.find("\r\n\r\n");
    std::size_t body_at = head_end == std::string::npos ? std::string::npos : head_end + 4;
    if (head_end == std::string::npos) {
      head_end = block.find("\n\n");
      body_at = head_end == std::string::npos ? std::string::npos : head_end + 2;
    }
    if (body_at == std::string::npos || block.rfind("HTTP/", 0) != 0) continue;  // not an HTTP response: skip
    bool chunked = false;
    std::size_t p = 0;
    while (p < head_end) {
      std::size_t eol = block.find('\n', p);
      if (eol == std::string::npos || eol > head_end) eol = head_end;
      const std::string h = block.substr(p, eol - p);
      if (split_header(h, name, value)) {
        if (name == "content-type") page.charset = charset_of(value);
        else if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) chunked = true;
      }
      p = eol + 1;
    }
    page.body = block.substr(body_at);
    if (chunked) page.body = dechunk(page.body);
    return page;
  }
}

}  // namespace scrubtext::cli
