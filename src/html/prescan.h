// A byte-level pass before parsing that removes what extraction never reads.
#pragma once

#include <string>
#include <string_view>

namespace scrubtext::html {

/// Returns `html` without the bodies of elements whose content is never article text:
/// script (except JSON-LD, kept for metadata; the start tag is kept so script hosts can be
/// matched), style, noscript, iframe, noembed, noframes, xmp, template, svg and math, and
/// without comments. It follows the HTML tokenizer where it matters: quoted attribute
/// values may hold '>', end tags are matched case-insensitively and only when followed by
/// whitespace, '/' or '>', script bodies honour the `<!--` … `<script>` escape states,
/// title and textarea bodies are copied untouched (their content is text), and
/// `<plaintext>` ends all markup. One forward pass with memchr; never recursive.
std::string strip_raw_text_bodies(std::string_view html);

}  // namespace scrubtext::html
