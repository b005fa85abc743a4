// Soundness, checked independently: re-derives every edge of a reported cycle from the
// transactions themselves with simple scans (no shared index), so a bug in the inference or
// the search cannot hide behind itself. Cheap enough to run on every result: O(history) per
// edge, and cycles are few.
#pragma once

#include <string>
#include <vector>

#include "transactions/cycle_search.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

// What is wrong with `cycle` ("step 2: ..."); empty when every edge holds and it is a simple
// cycle of the type it claims.
std::vector<std::string> verify_cycle(const TransactionHistory& history, const Cycle& cycle);

}  // namespace faultline::transactions
