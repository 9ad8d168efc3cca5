#include "input/gzip.h"

#include <zlib.h>

namespace scrubtext::input {

bool looks_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

GunzipResult gunzip(std::string_view bytes, std::size_t max_output) {
  GunzipResult r;
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    r.error = "cannot initialise zlib";
    return r;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size(), UINT32_MAX));
  std::size_t remaining_in = bytes.size() - zs.avail_in;
  char buf[1 << 16];
  int ret = Z_OK;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    ret = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = sizeof buf - zs.avail_out;
    if (r.data.size() + produced > max_output) {
      r.too_large = true;
      r.error = "decompressed size exceeds the input limit of " + std::to_string(max_output) + " bytes";
      inflateEnd(&zs);
      return r;
    }
    r.data.append(buf, produced);
    if (zs.avail_in == 0 && remaining_in > 0) {
      const std::size_t take = std::min<std::size_t>(remaining_in, UINT32_MAX);
      zs.avail_in = static_cast<uInt>(take);
      remaining_in -= take;
    }
    if (ret == Z_STREAM_END) {
      // Another member may follow (skip NUL padding, as gzip(1) does).
      while (zs.avail_in > 0 && *zs.next_in == 0) {
        ++zs.next_in;
        --zs.avail_in;
      }
      if (zs.avail_in == 0) break;
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (ret == Z_BUF_ERROR && zs.avail_in == 0) {
      r.error = "truncated gzip stream (ended after " + std::to_string(r.data.size()) + " decompressed bytes)";
      inflateEnd(&zs);
      return r;
    }
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      r.error = std::string("corrupt gzip stream: ") + (zs.msg ? zs.msg : "inflate failed");
      inflateEnd(&zs);
      return r;
    }
  }
  inflateEnd(&zs);
  r.ok = true;
  return r;
}

}  // namespace scrubtext::input
