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

// Tokenizer helpers shared with html/bounds.cpp.

/// Position just past the '>' ending the tag that starts at `lt` (quoted attribute values
/// may hold '>'); html.size() when the tag never ends.
std::size_t tag_end(std::string_view html, std::size_t lt);

/// Position of the '<' of the first "</name" (ASCII case-insensitive, followed by space, '/'
/// or '>') at or after `from`; npos when none. `name` is lowercase.
std::size_t find_end_tag(std::string_view html, std::size_t from, std::string_view name);

/// Position of the '<' of the end tag closing a script body that starts at `from`, per the
/// tokenizer's script-data (escaped, double-escaped) states; npos when it never closes.
std::size_t find_script_end(std::string_view html, std::size_t from);

}  // namespace scrubtext::html
