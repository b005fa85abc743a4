#include "edn_history.h"

namespace faultline {

Expected<void> read_edn_history(std::istream& in, const std::string& source, const OpSink& sink) {
  return std::unexpected(InputError{source, 0, "", "the edn reader is not written yet"});
}

}  // namespace faultline
