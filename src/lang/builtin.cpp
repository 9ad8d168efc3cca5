// The identifier over the model embedded in the library (rules/lang/model.bin).
#include "lang/identifier.h"
#include "rules/embedded.h"

namespace scrubtext::lang {

const Identifier& Identifier::builtin() {
  static const Identifier* const instance = [] {
    std::string_view bytes;
    for (const auto& f : scrubtext::detail::embedded_rule_files()) {
      if (f.path == "lang/model.bin") {
        bytes = f.data;
        break;
      }
    }
    // Leaked on purpose: usable until the very end of the program (static destructors).
    return new Identifier(bytes);
  }();
  return *instance;
}

}  // namespace scrubtext::lang
