// Fault windows in words, for people reading a report: "n2 killed", "n3 cut off from n1 n2",
// "n1 clock −8.3 s". Made from the nemesis op's f and value as the history holds them (so
// also for histories other tools recorded: an f it does not know is shown with its value).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace faultline {

std::string fault_label(const std::string& f, const nlohmann::json& value);

// A clock offset: "−8.3 s", "+120 ms" (a true minus sign, for reading).
std::string clock_offset_text(double offset_ms);

}  // namespace faultline
