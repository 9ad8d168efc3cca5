// Reading WARC files (ISO 28500), plain or gzip-compressed, one record at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <zlib.h>

namespace scrubtext::cli {

/// A page from a WARC `response` (or `resource`) record.
struct WarcPage {
  std::string record_id;   ///< WARC-Record-ID without the angle brackets.
  std::string target_uri;  ///< WARC-Target-URI: the page's URL.
  std::string date;        ///< WARC-Date: when the page was fetched (ISO 8601).
  std::string charset;     ///< charset= of the HTTP Content-Type, if any.
  std::string body;        ///< HTTP body, de-chunked (still gzip-compressed if the server sent it so).
  std::size_t index = 0;   ///< Position of the record in the file (0-based, all record types counted).
};

/// Streams the records of one WARC file. Memory holds one record at a time.
/// gzip (one member per record, or the whole file) is read transparently by zlib.
class WarcReader {
 public:
  explicit WarcReader(const std::string& path);
  ~WarcReader();
  WarcReader(const WarcReader&) = delete;
  WarcReader& operator=(const WarcReader&) = delete;

  bool ok() const { return file_ != nullptr && error_.empty(); }
  const std::string& error() const { return error_; }

  /// The next response/resource record holding a page; request, metadata, warcinfo and
  /// revisit records are skipped. nullopt at the end or on a format error (see error()).
  std::optional<WarcPage> next();

  /// True when `path` starts like a WARC file (after gunzip when compressed).
  static bool looks_like_warc(const std::string& path);

 private:
  bool read_line(std::string& line);
  bool read_exact(std::size_t n, std::string& out);

  gzFile file_ = nullptr;
  std::string error_;
  std::size_t index_ = 0;
};

}  // namespace scrubtext::cli
