// A small, strict reader for EDN (https://github.com/edn-format/edn), enough for the
// histories Jepsen and Knossos write. Not yet written.
#pragma once
