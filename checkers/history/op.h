// The one operation type of faultline (STYLE principle 3). Generators emit it, clients and
// the nemesis complete it, checkers read it, reports draw it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline {

enum class OpType : std::uint8_t { invoke, ok, fail, info };

// The nemesis is not a client process; it is stored as this process number and written as
// "nemesis" in every format.
inline constexpr std::int64_t nemesis_process = -1;

struct Op {
  std::int64_t index = -1;        // position in the history; -1 until the history assigns it
  std::int64_t time_ns = 0;       // nanoseconds since the test started
  std::int64_t process = 0;       // logical client process, or nemesis_process
  OpType type = OpType::invoke;
  std::string f;                  // the function: read, write, cas, acquire, kill, ...
  std::optional<std::string> key; // independent key, when the workload has several
  nlohmann::json value;           // argument on invoke, result on completion
  std::optional<std::string> error;  // on fail and info: what went wrong, for people
  // On fail and info, when the client knows it (one of answer_classes): whether the system
  // answered ("answered": a failed compare, a lock held by another — the system working),
  // declined to serve ("refused": no leader, unavailable), could not be reached ("unreachable":
  // nothing was sent) or did not answer in time ("timeout"). Availability counts answers.
  std::optional<std::string> answer;
  // The node the client sent it to, when the recorder knew it (faultline's own runs do; other
  // tools' histories mostly do not). Reports show it; the convergence check groups by it.
  std::optional<std::string> node;

  bool is_nemesis() const { return process == nemesis_process; }
  bool is_completion() const { return type != OpType::invoke; }
};

inline constexpr const char* answer_classes[] = {"answered", "refused", "unreachable", "timeout"};

std::string_view to_string(OpType type);
std::optional<OpType> parse_op_type(std::string_view text);

// The process as it is written: a number, or "nemesis".
std::string process_name(std::int64_t process);

// One line of text for people: "3 ok cas k7 [1,3]".
std::string describe(const Op& op);

}  // namespace faultline
