#include "jepsen_log.h"

namespace faultline {

Expected<void> read_jepsen_log(std::istream& in, const std::string& source, const OpSink& sink) {
  return std::unexpected(InputError{source, 0, "", "the jepsen-log reader is not written yet"});
}

}  // namespace faultline
