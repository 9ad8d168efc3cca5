// What the command line names: files, directory trees, WARC files, standard input.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/warc.h"

namespace scrubtext::cli {

/// A unit of input as listed before any page is read.
struct InputRef {
  std::string path;  ///< Path to open ("-" for standard input).
  std::string rel;   ///< Path relative to the directory given on the command line (or the file name).
};

struct WalkOptions {
  std::vector<std::string> include;  ///< Globs; a file must match one of them when any are given.
  std::vector<std::string> exclude;  ///< Globs; a file matching one is left out.
  bool follow_symlinks = false;
  std::uint64_t shard_index = 0;     ///< This shard, 0 ≤ index < count.
  std::uint64_t shard_count = 1;
};

/// Expands the command-line operands into a deterministic list: the files under a directory
/// come in byte order of their relative paths, operands in the order given.
/// Globs match the relative path when they contain '/', else the file name. Sharding keeps
/// the inputs whose FNV-1a hash of `rel` falls in this shard, so any machine computes the
/// same split. Unreadable directories are reported in `problems` and skipped.
std::vector<InputRef> list_inputs(const std::vector<std::string>& operands, const WalkOptions& options,
                                  std::vector<std::string>& problems);

/// Parses "K/N" (0 ≤ K < N); returns false when malformed.
bool parse_shard(const std::string& spec, std::uint64_t& index, std::uint64_t& count);

/// 64-bit FNV-1a, the stable hash behind --shard.
std::uint64_t stable_hash(const std::string& s);

}  // namespace scrubtext::cli
