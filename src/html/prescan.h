// A byte-level pass before parsing that removes what extraction never reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scrubtext::detail {
class CompiledRules;
}

namespace scrubtext::html {

/// The steps of the prescan, each of which can be turned off on its own (tests/test_prescan.cpp
/// checks that the extracted output is the same with and without each).
struct PrescanSteps {
  /// Drops the bodies of elements whose content is never article text: script (except
  /// JSON-LD, kept for metadata; the start tag is kept so script hosts can be matched),
  /// style, noscript, iframe, noembed, noframes, xmp, template, svg and math; and comments.
  bool bodies = true;
  /// Drops the attributes extraction never reads (prescan_keeps_attribute) from start tags,
  /// and style attributes that do not hide their element (html::hidden_by_style).
  bool attributes = true;
  /// Drops whitespace-only text between two tags when either one is block-level (outside
  /// <pre> and <listing>): gumbo builds a node for each such run, the output never shows it.
  bool whitespace = true;
  /// Reduces the href of every <a> to what extraction reads when it does not record links
  /// (Options::links false): `href=""` for a link that leads nowhere (empty, "#…",
  /// "javascript:…", once spaces, tabs and newlines around it are trimmed), `href=h` for any
  /// other; a value with CR or NUL, or a character reference where it could change the
  /// answer (before the first 11 characters tell), is left as written. Off by default:
  /// the pipeline turns it on when links are not recorded.
  bool link_targets = false;
  /// Hands the parser a short placeholder for each run of text instead of the text itself:
  /// gumbo tokenizes text one character at a time (a token, a tree-builder step and a
  /// buffer append per character), and the text goes into the output unchanged anyway. A run
  /// keeps its leading and trailing whitespace (the tree builder treats whitespace apart);
  /// what lies between becomes a placeholder (see TextRuns), and flatten() puts it back. Only
  /// runs the parser would pass through unchanged are replaced (no character reference,
  /// '<', control character, CR or noncharacter), and only outside text that follows a '<'
  /// written as text. Needs the `runs` argument of prescan(); ignored without it.
  bool text = true;
  /// Hands the parser a placeholder for each class attribute value instead of the value:
  /// class lists are long ("card card--wide css-1x2y3z grid__item…"), the tokenizer reads
  /// them one character at a time, and nothing in the parse depends on them. The value
  /// becomes a placeholder of the same form as the text runs' (its quotes stay), so that
  /// where the tree builder takes the tag for text after all (a <title> the prescan took for
  /// an ignored tag), the text still comes back whole; flatten() gives each element its
  /// value back (Node::cls). Only values the parser would pass through unchanged are
  /// replaced (as for `text`), and only when the placeholder is shorter. Needs the `runs`
  /// argument of prescan(); ignored without it.
  bool classes = true;
  /// Hands the parser one placeholder attribute (a bare name) for all the attributes a start
  /// tag keeps: the tokenizer reads each attribute's name and value one character at a time,
  /// and allocates for each, while the tree builder reads no attribute of most elements.
  /// ParsedHtml gives every such element its attributes back, as the tokenizer would have
  /// made them (names lowercased, values unquoted). Elements whose attributes the
  /// tree builder reads keep them as written: html and body (a second tag merges its
  /// attributes), input (type=hidden), font (color, face and size end foreign content), and
  /// the formatting elements (the list of active formatting elements compares attributes);
  /// so do lists with a character reference, CR, NUL or another character the tokenizer
  /// changes, lists of more than kMaxListedAttributes, and any after foreign content left
  /// to the parser. (A tag with two attributes of one name goes to the parser as written,
  /// whatever the steps: gumbo's handling of those depends on every attribute after them.) Needs the `runs` argument of prescan(); ignored without it.
  bool attribute_lists = true;
  /// Drops elements nothing reads and whose removal the tree builder cannot notice: while
  /// the page is still in its head (nothing but head elements and whitespace so far), the
  /// meta elements whose key metadata does not read (html::meta_key_read) and the link
  /// elements that are not rel=canonical; anywhere, script elements without JSON-LD and
  /// without a src (or, given script_rules, with a src none of them matches): start tag,
  /// end tag, and the body the `bodies` step emptied. Not before the tree builder has made
  /// the head element (such an element would make it, and a later <head> tag, attributes and
  /// all, is then ignored). Elements
  /// with a character reference in their tag are kept, as are all of them once foreign
  /// content or a frameset is left to the parser.
  bool unread_elements = true;
  /// With unread_elements: the script-src rules (html::build_blocks reads script srcs only
  /// for them). A script whose src none of them matches is unread too. Null: every script
  /// with a src is kept.
  const detail::CompiledRules* script_rules = nullptr;

  /// Every step off: prescan() gives back its input.
  static constexpr PrescanSteps none() {
    return {.bodies = false, .attributes = false, .whitespace = false, .link_targets = false, .text = false,
            .classes = false, .attribute_lists = false, .unread_elements = false, .script_rules = nullptr};
  }
  /// Whether any step is on.
  constexpr bool any() const {
    return bodies || attributes || whitespace || link_targets || text || classes || attribute_lists || unread_elements;
  }
};

/// What the `text` and `classes` steps took out of the markup: `cores[i]` is what placeholder
/// i stands for, a run of text or a class value (views into the prescan's input, which must
/// outlive them).
///
/// A placeholder is one character wherever the page allows it (`compact`): placeholder i is
/// the code point kCompactFirst + i, in the private-use planes 15 and 16, which almost no page
/// contains; the tokenizer reads it as one step. A page that holds any character of those
/// planes gets marker, index in decimal, marker instead, `marker` being a private-use
/// character of the BMP the page does not contain.
struct TextRuns {
  static constexpr char32_t kCompactFirst = 0xF0000;
  /// Placeholders a compact page can have (planes 15 and 16 without their noncharacters);
  /// runs past these are written as they are.
  static constexpr std::size_t kCompactCapacity = 2 * 0xFFFE;

  bool compact = false;
  std::string marker;                    ///< Without `compact`: a character the page does not contain (UTF-8).
  std::vector<std::string_view> cores;
  std::size_t classes = 0;               ///< How many of the placeholders are class values.
  std::size_t attribute_lists = 0;       ///< How many are attribute lists (attribute_lists step).
  /// The attribute lists' text as the prescan wrote it (cores point into it; its capacity
  /// is reserved up front and never exceeded, so that they stay valid).
  std::string list_text;

  /// Whether placeholders can be written (compact, or a marker was found).
  bool active() const { return compact || !marker.empty(); }
  /// Whether placeholder `index` can be written (a compact page has kCompactCapacity).
  bool room(std::size_t index) const { return !compact || index < kCompactCapacity; }
  /// Bytes placeholder `index` takes.
  std::size_t size_of(std::size_t index) const;
  /// Appends placeholder `index` to `out`.
  void put(std::string& out, std::size_t index) const;
  /// Where a placeholder may start in `text` at or after `from` (npos: nowhere); at() says
  /// whether one does.
  std::size_t find(std::string_view text, std::size_t from) const;
  /// The index of the placeholder starting at `at` in `text`, setting `end` just past it;
  /// npos when none starts there (or its index is not one of `cores`).
  std::size_t at(std::string_view text, std::size_t at, std::size_t& end) const;
};

/// Attribute lists longer than this stay as written (html/bounds.h caps a tag's attributes
/// at 64 whatever the prescan does).
inline constexpr std::size_t kMaxListedAttributes = 16;

/// The class value a class attribute's `value` (as parsed) stands for: the value itself, or,
/// when it is a placeholder, the value it replaced.
std::string_view resolve_class(std::string_view value, const TextRuns* runs);

/// Returns `html` without what extraction never reads (see PrescanSteps). It follows the
/// HTML tokenizer where it matters: quoted attribute values may hold '>' and '<', end tags
/// are matched case-insensitively and only when followed by whitespace, '/' or '>', script
/// bodies honour the `<!--` … `<script>` escape states, title and textarea bodies are
/// copied untouched (their content is text), and `<plaintext>` ends all markup. One forward
/// pass with memchr; never recursive.
std::string prescan(std::string_view html, const PrescanSteps& steps = PrescanSteps{}, TextRuns* runs = nullptr);

/// `text` with every placeholder of `runs` replaced by the run it stands for; anything that
/// only looks like the start of one (an index not among the runs, a cut sequence) is left
/// as it is.
std::string expand_text_runs(std::string_view text, const TextRuns& runs);

/// True when the prescan keeps attribute `name` on element `tag` (ASCII case-insensitive).
/// Code that reads an attribute from the parsed page reads only these: in sanitizer
/// builds html::attribute() aborts on any other.
bool prescan_keeps_attribute(std::string_view tag, std::string_view name);

// Tokenizer helpers shared with html/bounds.cpp.

/// One attribute of a tag, as byte offsets: its name is [begin, name_end), and the whole
/// attribute, name and value as written, is [begin, end).
struct AttributeSpan {
  std::size_t begin = 0, name_end = 0, end = 0;
  bool quoted = false;  ///< The value is in quotes.
};

struct TagScan {
  std::size_t name_end = 0;                  ///< End of the tag name.
  std::size_t end = std::string_view::npos;  ///< Just past the closing '>'; npos when the input ends inside the tag.
  bool self_closing = false;
};

/// Reads a tag whose name starts at `name_at` (after "<" or "</") with the tokenizer's
/// attribute states: quoted values may hold '>', a value may follow its name after spaces,
/// "a=1b=2" is one attribute, "/" not before '>' is ignored. Appends each attribute to
/// `attributes` when given.
TagScan scan_tag(std::string_view html, std::size_t name_at, std::vector<AttributeSpan>* attributes);

/// The value of attribute `a` of `html` as written (quotes removed; "" for a bare name).
std::string_view attribute_value(std::string_view html, const AttributeSpan& a);

/// Position just past the '>' ending the tag that starts at `lt` (start or end tag);
/// html.size() when the tag never ends.
std::size_t tag_end(std::string_view html, std::size_t lt);

/// True when `c` after a '<' makes markup (a tag, an end tag, a comment, a doctype or a
/// bogus comment) rather than a text '<'.
bool starts_markup(char c);

/// Position just past the comment that starts with "<!--" at `lt`: "<!-->" and "<!--->"
/// end at once, otherwise the first "-->" or "--!>" ends it; html.size() when none does.
std::size_t comment_end(std::string_view html, std::size_t lt);

/// Position of the '<' of the first "</name" (ASCII case-insensitive, followed by space, '/'
/// or '>') at or after `from`; npos when none. `name` is lowercase.
std::size_t find_end_tag(std::string_view html, std::size_t from, std::string_view name);

/// Position of the '<' of the end tag closing a script body that starts at `from`, per the
/// tokenizer's script-data (escaped, double-escaped) states; npos when it never closes.
std::size_t find_script_end(std::string_view html, std::size_t from);

}  // namespace scrubtext::html
