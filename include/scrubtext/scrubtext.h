/// \file
/// The whole public C++ API in one include. See scrubtext/cleaner.h for an example,
/// scrubtext/rules.h for rule files, scrubtext/output.h for formats, and scrubtext.h (no
/// folder) for the C interface.
///
/// The headers need C++17 (the library is built as C++20) and include nothing from gumbo,
/// ICU or RE2. Link `scrubtext::scrubtext` (CMake) or `pkg-config --libs scrubtext`.
#pragma once

#include "scrubtext/cleaner.h"
#include "scrubtext/document.h"
#include "scrubtext/language.h"
#include "scrubtext/options.h"
#include "scrubtext/output.h"
#include "scrubtext/rules.h"
#include "scrubtext/version.h"
