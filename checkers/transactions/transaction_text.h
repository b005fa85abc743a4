// A transactional check result (list-append, rw-register) as text for people (faultline check
// prints it): the anomaly types, the models ruled out, and each cycle with one sentence per
// edge. Pure: returns the text.
#pragma once

#include <string>

#include "transactions/transaction_check.h"

namespace faultline::transactions {

// Cycles shown per anomaly type, and cases shown per non-cycle anomaly type.
inline constexpr std::size_t cycles_shown_per_type_max = 3;
inline constexpr std::size_t cases_shown_per_type_max = 2;

// Lines, each indented by two spaces and ending in '\n'; empty for a valid result.
std::string describe_transaction_result(const TransactionCheckResult& result);

}  // namespace faultline::transactions
