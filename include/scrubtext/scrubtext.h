// scrubtext/scrubtext.h: the whole public C++ API in one include.
// See cleaner.h for an example, rules.h for rule files, output.h for formats.
#pragma once

#include "scrubtext/cleaner.h"
#include "scrubtext/document.h"
#include "scrubtext/options.h"
#include "scrubtext/output.h"
#include "scrubtext/rules.h"
#include "scrubtext/version.h"
