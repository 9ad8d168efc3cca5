// The full clean of one input, with every output format rendered and checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "scrubtext/scrubtext.h"

namespace fuzz {

inline void clean_and_check(const scrubtext::Cleaner& cleaner, std::string_view bytes, scrubtext::InputKind kind) {
  const scrubtext::Document doc = cleaner.clean(bytes, {.name = "fuzz", .kind = kind});
  if (doc.status != scrubtext::Status::Ok) {
    require(!doc.error.empty(), "a refused input says why");
    require(doc.text.empty(), "a refused input has no text");
  } else {
    require(valid_utf8(doc.text), "the text is valid UTF-8");
    require(doc.text.size() <= cleaner.options().limits.max_output_bytes, "the text respects max_output_bytes");
    for (const auto& b : doc.blocks) require(valid_utf8(b.text), "every block is valid UTF-8");
    if (doc.metadata.title) require(valid_utf8(*doc.metadata.title), "the title is valid UTF-8");
  }
  scrubtext::RenderOptions explain;
  explain.explain = true;
  for (auto f : {scrubtext::Format::Text, scrubtext::Format::Markdown, scrubtext::Format::Json, scrubtext::Format::Jsonl})
    require(valid_utf8(scrubtext::render(doc, f, explain)), "rendered output is valid UTF-8");
}

}  // namespace fuzz
