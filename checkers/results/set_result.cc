#include "set_result.h"

namespace faultline {

using nlohmann::json;

namespace {

json optional_json(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

std::optional<std::int64_t> optional_int(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_number_integer()) return std::nullopt;
  return object[name].get<std::int64_t>();
}

json read_ref_json(const SetReadRef& read) { return {{"read_index", read.read_index}, {"time_ns", read.time_ns}}; }

SetReadRef read_ref(const json& in) {
  SetReadRef read;
  if (!in.is_object()) return read;
  read.read_index = in.value("read_index", std::int64_t{-1});
  read.time_ns = in.value("time_ns", std::int64_t{0});
  return read;
}

std::optional<SetReadRef> optional_read_ref(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_object()) return std::nullopt;
  return read_ref(object[name]);
}

json element_json(const SetAddedElement& e) {
  json out = {{"element", e.element},
              {"add",
               {{"type", e.add.type},
                {"invoke_index", e.add.invoke_index},
                {"invoke_time_ns", e.add.invoke_time_ns},
                {"complete_index", optional_json(e.add.complete_index)},
                {"complete_time_ns", optional_json(e.add.complete_time_ns)}}},
              {"known_index", optional_json(e.known_index)},
              {"last_seen", e.last_seen ? read_ref_json(*e.last_seen) : json(nullptr)}};
  if (e.absent_in) out["absent_in"] = read_ref_json(*e.absent_in);
  return out;
}

json element_json(const SetUnexpectedElement& e) {
  return {{"element", e.element}, {"first_seen", read_ref_json(e.first_seen)}};
}

json element_json(const SetDuplicatedElement& e) {
  return {{"element", e.element}, {"count", e.count}, {"read_index", e.read_index}};
}

void read_element(const json& in, SetAddedElement& e) {
  e.element = in.value("element", std::int64_t{0});
  const json add = in.value("add", json::object());
  if (add.is_object()) {
    e.add.type = add.value("type", std::string());
    e.add.invoke_index = add.value("invoke_index", std::int64_t{-1});
    e.add.invoke_time_ns = add.value("invoke_time_ns", std::int64_t{0});
    e.add.complete_index = optional_int(add, "complete_index");
    e.add.complete_time_ns = optional_int(add, "complete_time_ns");
  }
  e.known_index = optional_int(in, "known_index");
  e.last_seen = optional_read_ref(in, "last_seen");
  e.absent_in = optional_read_ref(in, "absent_in");
}

void read_element(const json& in, SetUnexpectedElement& e) {
  e.element = in.value("element", std::int64_t{0});
  e.first_seen = read_ref(in.value("first_seen", json()));
}

void read_element(const json& in, SetDuplicatedElement& e) {
  e.element = in.value("element", std::int64_t{0});
  e.count = in.value("count", std::int64_t{0});
  e.read_index = in.value("read_index", std::int64_t{-1});
}

template <typename Element>
void write_listing(json& out, const std::string& name, const SetListing<Element>& listing) {
  json items = json::array();
  for (const Element& e : listing.listed) items.push_back(element_json(e));
  out[name] = std::move(items);
  out[name + "_count"] = listing.count;
}

template <typename Element>
void read_listing(const json& in, const std::string& name, SetListing<Element>& listing) {
  if (in.contains(name) && in[name].is_array()) {
    for (const json& item : in[name]) {
      if (!item.is_object()) continue;
      Element e;
      read_element(item, e);
      listing.listed.push_back(std::move(e));
    }
  }
  listing.count = in.value(name + "_count", listing.listed.size());
}

}  // namespace

void to_json(json& out, const SetResult& r) {
  out = json::object();
  out["adds"] = {{"attempted", r.adds.attempted}, {"ok", r.adds.ok}, {"fail", r.adds.fail}, {"info", r.adds.info}};
  out["reads"] = r.reads;
  out["final_reads"] = r.final_reads;
  write_listing(out, "lost", r.lost);
  write_listing(out, "unexpected", r.unexpected);
  write_listing(out, "duplicated", r.duplicated);
  write_listing(out, "failed_but_present", r.failed_but_present);
  write_listing(out, "late", r.late);
  write_listing(out, "recovered", r.recovered);
  if (r.reason) out["reason"] = *r.reason;
}

void from_json(const json& in, SetResult& r) {
  r = SetResult{};
  if (!in.is_object()) return;
  const json adds = in.value("adds", json::object());
  if (adds.is_object()) {
    r.adds.attempted = adds.value("attempted", std::int64_t{0});
    r.adds.ok = adds.value("ok", std::int64_t{0});
    r.adds.fail = adds.value("fail", std::int64_t{0});
    r.adds.info = adds.value("info", std::int64_t{0});
  }
  r.reads = in.value("reads", std::size_t{0});
  r.final_reads = in.value("final_reads", std::size_t{0});
  read_listing(in, "lost", r.lost);
  read_listing(in, "unexpected", r.unexpected);
  read_listing(in, "duplicated", r.duplicated);
  read_listing(in, "failed_but_present", r.failed_but_present);
  read_listing(in, "late", r.late);
  read_listing(in, "recovered", r.recovered);
  if (in.contains("reason") && in["reason"].is_string()) r.reason = in["reason"].get<std::string>();
}

}  // namespace faultline
