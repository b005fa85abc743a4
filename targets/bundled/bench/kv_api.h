// How one benchmark operation (a read, a write or a cas on one key) becomes an HTTP request to
// each system the benchmark measures, and how the answer is classified. Pure: no sockets.
//
// faultline-node: GET /kv/k{n}, PUT /kv/k{n} {"value": a}, POST /kv/k{n}/cas {"from": a, "to": b}.
// etcd 3.4 (its JSON gateway; keys and values base64): POST /v3/kv/range (linearizable, the
// default serializable=false), /v3/kv/put, and /v3/kv/txn comparing the value with a and
// putting b on success. Values are the numbers 0-4, as JSON numbers or as decimal text.
#pragma once

#include <cstddef>
#include <string>

namespace faultline::bench {

enum class System { faultline, etcd };
enum class Operation { read, write, cas };
enum class Outcome { ok, conflict, failed };  // conflict: a cas whose value did not match

const char* system_name(System system);
const char* operation_name(Operation operation);

struct HttpRequest {
  std::string method;
  std::string path;  // after the node's base URL, starting with '/'
  std::string body;  // empty for GET
};

// `from` is the cas's expected value, `to` the value written (by a write or a matching cas).
HttpRequest request_for(System system, Operation operation, std::size_t key, int from, int to);

// `status` is 0 when no answer came (refused, timeout).
Outcome outcome_of(System system, Operation operation, long status, const std::string& body);

}  // namespace faultline::bench
