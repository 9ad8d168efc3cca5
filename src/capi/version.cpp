// The version calls of both APIs: scrubtext::version() (scrubtext/version.h) and
// scrubtext_version() (scrubtext.h). They return the version the library was built with,
// which may differ from the headers a program was compiled against.
#include "scrubtext.h"
#include "scrubtext/version.h"

namespace scrubtext {

const char* version() noexcept { return SCRUBTEXT_VERSION_STRING; }

}  // namespace scrubtext

extern "C" const char* scrubtext_version(void) { return SCRUBTEXT_VERSION_STRING; }

extern "C" int scrubtext_version_number(void) {
  return SCRUBTEXT_VERSION_MAJOR * 10000 + SCRUBTEXT_VERSION_MINOR * 100 + SCRUBTEXT_VERSION_PATCH;
}
