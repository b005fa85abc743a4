// Sentences for people: one per edge of a cycle, naming transactions T1, T2, ... in the order
// the cycle visits them ("T2 read key 5 as [1 2], so it saw T1's append of 2"; in rw-register
// "T2 read key 5 as 2, so it saw T1's write of 2").
#pragma once

#include <string>
#include <vector>

#include "transactions/cycle_search.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

// The explanation of each step of `cycle`, where steps[i].from is named T(i+1).
std::vector<std::string> explain_cycle(const TransactionHistory& history, const Cycle& cycle);

}  // namespace faultline::transactions
