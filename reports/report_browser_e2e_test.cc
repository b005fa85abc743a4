// The report of an invalid run, opened in headless Chromium: it loads without a console
// message (no JavaScript error), its charts and anomaly diagram are in the DOM after the
// scripts ran, with nodes, fault labels and time ticks; its timeline controls work, a history value made of markup stays text, it makes no network request, and
// a screenshot comes out. A second case injects an error and a request into a copy of the
// page and checks that both detectors see them, so that neither can pass by seeing nothing.
//
// The run: `faultline generate --plant stale-read` (a history with one stale read), its key
// renamed to "<script>alert(1)</script>" and kill/pause fault windows added, checked by
// `faultline analyze` (exit 1), which writes report.html. Deterministic, a second or two.
// Without Chromium the cases call skip_test, which ctest reports as skipped.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "skip_test.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr auto process_deadline = std::chrono::seconds(40);
const std::string xss = "<script>alert(1)</script>";
const std::string xss_as_text = "&lt;script&gt;alert(1)&lt;/script&gt;";

fs::path faultline_binary() {
  const char* dir = std::getenv("FAULTLINE_BIN");
  return fs::path(dir != nullptr ? dir : "build/bin") / "faultline";
}

// $FAULTLINE_CHROMIUM, else chromium (Debian) or chromium-browser on the PATH.
std::optional<fs::path> find_chromium() {
  if (const char* given = std::getenv("FAULTLINE_CHROMIUM"); given != nullptr && *given != '\0') {
    INFO("FAULTLINE_CHROMIUM=" << given);
    REQUIRE(access(given, X_OK) == 0);  // asked for by name: a wrong path fails, it does not skip
    return fs::path(given);
  }
  const char* path = std::getenv("PATH");
  std::istringstream directories(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string directory; std::getline(directories, directory, ':');)
    for (const char* name : {"chromium", "chromium-browser"})
      if (access((fs::path(directory) / name).c_str(), X_OK) == 0) return fs::path(directory) / name;
  return std::nullopt;
}

fs::path chromium_or_skip() {
  auto chromium = find_chromium();
  if (!chromium) {
    faultline::skip_test("Chromium is not installed (Debian: apt-get install chromium; or set FAULTLINE_CHROMIUM): "
                         "the report was not tested in a browser.");
  }
  return *chromium;
}

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("faultline-browser-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

struct Finished {
  int exit_code = -1;  // -1: killed at the deadline
  std::string stdout_text, stderr_text;
};

// Runs `arguments` in a process group of its own (Chromium starts helpers), waits for it with
// a deadline (a pidfd, no polling), then ends whatever is left of that group: only what this
// test started, by its process group id.
Finished run_process(const std::vector<std::string>& arguments, const fs::path& work) {
  const fs::path out = work / "stdout.txt", err = work / "stderr.txt";
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0);
    int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    std::vector<std::string> copy = arguments;
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here: no race with the child's own call
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  REQUIRE(pidfd >= 0);
  pollfd exited{pidfd, POLLIN, 0};
  const bool in_time = poll(&exited, 1, static_cast<int>(std::chrono::milliseconds(process_deadline).count())) == 1;
  close(pidfd);
  if (!in_time) kill(-pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  kill(-pid, SIGKILL);  // helpers that outlived the browser, if any
  Finished finished;
  if (in_time) finished.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  finished.stdout_text = read_file(out);
  finished.stderr_text = read_file(err);
  return finished;
}

// A history from `faultline generate --plant stale-read` on two keys, the anomaly's key k0
// renamed to the XSS value, each invocation naming its node (process p on node p mod 3 + 1),
// and three fault windows added (n3's clock 8325 ms behind through nearly all of it, n1
// killed, later n2 paused), renumbered.
void write_invalid_history(const fs::path& generated, const fs::path& history) {
  std::vector<json> ops;
  std::ifstream in(generated);
  for (std::string line; std::getline(in, line);) ops.push_back(json::parse(line));
  REQUIRE(ops.size() > 100);
  const double end_ns = ops.back()["time"].get<double>();
  struct Fault {
    double at;
    const char* f;
    const char* node;
  };
  const std::vector<Fault> faults = {{0.01, "clock-bump", "n3"}, {0.15, "kill", "n1"}, {0.35, "restart", "n1"},
                                     {0.55, "pause", "n2"},      {0.75, "resume", "n2"}, {0.99, "clock-reset", "n3"}};
  std::ofstream out(history);
  std::size_t index = 0, next_fault = 0;
  auto write = [&](json op) {
    op["index"] = index++;
    out << op.dump() << '\n';
  };
  for (json& op : ops) {
    while (next_fault < faults.size() && op["time"].get<double>() >= faults[next_fault].at * end_ns) {
      const Fault& fault = faults[next_fault++];
      const auto time = static_cast<std::int64_t>(fault.at * end_ns);
      const json value = std::string(fault.f) == "clock-bump" ? json{{fault.node, -8325}} : json::array({fault.node});
      for (const char* type : {"invoke", "info"})
        write({{"time", time}, {"process", "nemesis"}, {"type", type}, {"f", fault.f}, {"value", value}});
    }
    if (op.value("key", "") == "k0") op["key"] = xss;
    if (op["type"] == "invoke") op["node"] = "n" + std::to_string(op["process"].get<int>() % 3 + 1);
    write(op);
  }
}

// Builds an invalid run directory and its report.html; returns the report's path.
fs::path make_invalid_run_report(const fs::path& work) {
  const fs::path run = work / "store" / "generated" / "20261129T120000";
  fs::create_directories(run / "nodes");
  Finished generated = run_process({faultline_binary().string(), "generate", "--ops", "3000", "--keys", "2", "--clients",
                                    "6", "--plant", "stale-read", "--seed", "3", "--output", (work / "generated.jsonl").string()},
                                   work);
  INFO(generated.stderr_text);
  REQUIRE(generated.exit_code == 0);
  write_invalid_history(work / "generated.jsonl", run / "history.jsonl");
  std::ofstream(run / "test.json") << R"({"protocol": "paxos", "nodes": 3, "workload": "register", "nemesis": ["kill", "pause"],
    "seed": 3, "name": "generated"})";
  std::ofstream(run / "nodes" / "n1.log") << "n1 started\n";
  Finished analyzed = run_process({faultline_binary().string(), "analyze", run.string()}, work);
  INFO(analyzed.stdout_text << analyzed.stderr_text);
  REQUIRE(analyzed.exit_code == 1);  // invalid: the planted stale read
  REQUIRE(fs::is_regular_file(run / "report.html"));
  return run / "report.html";
}

// Flags for every run: headless, no first-run or background work, a fresh profile, and no
// name resolves (Chromium's own background requests, if any, never leave the machine).
std::vector<std::string> chromium_command(const fs::path& chromium, const fs::path& profile) {
  return {chromium.string(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps", "--no-pings",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile.string()};
}

struct LoadedPage {
  std::string dom;
  std::vector<std::string> console_messages;  // every message the page logged (errors included)
  std::vector<std::string> page_requests;     // network requests the page made
};

// Chromium logs every console message of a page, errors and uncaught exceptions included, as
// a line with ":CONSOLE" (all at level INFO: levels cannot be told apart). The report logs
// nothing, so any such line is a defect.
std::vector<std::string> console_messages_of(const std::string& chromium_stderr) {
  std::vector<std::string> found;
  std::istringstream lines(chromium_stderr);
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) found.push_back(line);
  return found;
}

// The requests in a net log that the page made. Chromium's own requests have the initiator
// "not an origin" and no network isolation key of the page; a request by a page opened from
// disk has the initiator "null" and the key "file://" (DNS prefetches and connections too).
std::vector<std::string> page_requests_of(const fs::path& net_log) {
  const std::string text = read_file(net_log);
  const json log = json::parse(text, nullptr, false);
  REQUIRE_FALSE(log.is_discarded());  // the net log is complete JSON once Chromium has exited
  std::vector<std::string> found;
  for (const json& event : log.value("events", json::array())) {
    const json params = event.value("params", json::object());
    if (!params.is_object()) continue;
    bool by_page = params.contains("initiator") && params["initiator"] != "not an origin";
    for (const char* key : {"network_isolation_key", "network_anonymization_key", "group_id"})
      if (params.contains(key) && params[key].is_string() && params[key].get<std::string>().find("file://") != std::string::npos)
        by_page = true;
    if (by_page) found.push_back(params.dump());
  }
  return found;
}

LoadedPage load_page(const fs::path& chromium, const fs::path& page, const fs::path& work) {
  const fs::path profile = work / "profile-dom", net_log = work / "net-log.json";
  fs::remove_all(profile);
  std::vector<std::string> command = chromium_command(chromium, profile);
  command.insert(command.end(), {"--enable-logging=stderr", "--v=0", "--log-net-log=" + net_log.string(), "--dump-dom",
                                 "file://" + page.string()});
  Finished run = run_process(command, work);
  INFO(run.stderr_text);
  REQUIRE(run.exit_code == 0);
  return {run.stdout_text, console_messages_of(run.stderr_text), page_requests_of(net_log)};
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The value of the attribute `name` of the first element that has it ("" when none does).
std::string attribute_of(const std::string& dom, const std::string& name) {
  const std::size_t start = dom.find(" " + name + "=\"");
  if (start == std::string::npos) return "";
  const std::size_t from = start + name.size() + 3;
  return dom.substr(from, dom.find('"', from) - from);
}

// The text between the element with `id` and the next `end`.
std::string element_text(const std::string& dom, const std::string& id, const std::string& end) {
  const std::size_t start = dom.find("id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  return dom.substr(start, dom.find(end, start) - start);
}

}  // namespace

TEST_CASE("browser: the report of an invalid run loads cleanly, draws its charts and anomaly, and fetches nothing") {
  const fs::path chromium = chromium_or_skip();
  TempDir work;
  const fs::path report = make_invalid_run_report(work.path);
  const LoadedPage page = load_page(chromium, report, work.path);

  INFO("console:\n" << [&] { std::string all; for (const auto& m : page.console_messages) all += m + "\n"; return all; }());
  CHECK(page.console_messages.empty());
  INFO("page requests:\n" << [&] { std::string all; for (const auto& r : page.page_requests) all += r + "\n"; return all; }());
  CHECK(page.page_requests.empty());

  // The scripts ran to the load event; the charts are dygraphs' canvases in their places.
  CHECK(page.dom.find("data-loaded-ms=\"") != std::string::npos);
  CHECK(element_text(page.dom, "latency-chart", "id=\"throughput-chart\"").find("<canvas") != std::string::npos);
  CHECK(element_text(page.dom, "throughput-chart", "</section>").find("<canvas") != std::string::npos);
  CHECK(page.dom.find("Charts unavailable") == std::string::npos);
  // The anomaly diagram, with the op that cannot be placed, and the timeline the script drew.
  const std::string anomaly = element_text(page.dom, "anomaly", "</section>");
  CHECK(anomaly.find("<svg class=\"anomaly\"") != std::string::npos);
  CHECK(anomaly.find("class=\"op blocked\"") != std::string::npos);
  const std::string timeline = element_text(page.dom, "timeline-view", "</section>");
  CHECK(timeline.find("<svg") != std::string::npos);
  CHECK(timeline.find("class=\"t-ok\"") != std::string::npos);
  CHECK(timeline.find("class=\"fault\"") != std::string::npos);  // the kill window, early in the run
  CHECK(page.dom.find("page 1 of ") != std::string::npos);

  // What connects the anomaly to its cause (issue 16, item 4): each process's node, fault
  // windows named in words on the timeline and in the availability table, a time axis with
  // ticks, and the faults in place named beside the anomaly's explanation.
  const std::string middle_dot = "\xC2\xB7", minus = "\xE2\x88\x92";
  CHECK(timeline.find(">process 0 " + middle_dot + " n1<") != std::string::npos);
  CHECK(timeline.find(">process 4 " + middle_dot + " n2<") != std::string::npos);
  CHECK(timeline.find("class=\"fault-label\"") != std::string::npos);
  CHECK(timeline.find(">n3 clock " + minus + "8.3 s<") != std::string::npos);
  CHECK(timeline.find(">n1 killed<") != std::string::npos);
  CHECK(count_of(timeline, "tick-label") >= 3);
  CHECK(timeline.find("{\"n3\"") == std::string::npos);  // no raw JSON in what the timeline shows
  CHECK(anomaly.find("Faults in place while these ops ran: <b>n3 clock " + minus + "8.3 s</b>") != std::string::npos);
  CHECK(anomaly.find(middle_dot + " n") != std::string::npos);  // the anomaly's lanes name their nodes
  CHECK(anomaly.find("class=\"tick\"") != std::string::npos);
  CHECK(anomaly.find("0 ops; the last shown") == std::string::npos);
  const std::string availability = element_text(page.dom, "availability", "</section>");
  CHECK(availability.find(">n1 killed</td>") != std::string::npos);
  CHECK(availability.find(">n2 paused</td>") != std::string::npos);

  // The key "<script>alert(1)</script>" is text in the markup (the anomaly's heading) and in
  // what the script drew (the timeline's hover texts); the only scripts are the page's three.
  CHECK(page.dom.find(xss) == std::string::npos);
  CHECK(anomaly.find("Linearizability: key " + xss_as_text) != std::string::npos);
  CHECK(timeline.find("[" + xss_as_text + "] ") != std::string::npos);
  CHECK(count_of(page.dom, "<script") == 3);
}

TEST_CASE("browser: the timeline's controls show the anomaly's ops, filter by key and zoom") {
  const fs::path chromium = chromium_or_skip();
  TempDir work;
  std::string html = read_file(make_invalid_run_report(work.path));
  // A script after the report's that uses the controls as a reader would, and writes what the
  // timeline showed after each step into attributes of <body>, which the DOM dump keeps.
  const std::string controls_script = R"JS(<script>
(function () {
  function rects() { return document.getElementById('timeline-view').querySelectorAll('rect[data-index]'); }
  function note(step) {
    var b = document.body, all = rects(), anomaly_key = 0;
    for (var i = 0; i < all.length; i++) if (all[i].textContent.indexOf('[<script>') >= 0) anomaly_key++;
    b.setAttribute('data-' + step + '-page', document.getElementById('timeline-page').textContent);
    b.setAttribute('data-' + step + '-ops', String(all.length));
    b.setAttribute('data-' + step + '-anomaly-key-ops', String(anomaly_key));
    b.setAttribute('data-' + step + '-blocked', String(document.querySelectorAll('#timeline-view rect.anomaly.blocked').length));
  }
  note('initial');
  document.getElementById('show-anomaly').click();
  note('anomaly');
  document.getElementById('timeline-zoom-in').click();
  note('zoomed');
  var key = document.getElementById('timeline-key');
  key.value = '1';
  key.onchange();
  note('otherkey');
})();
</script>)JS";
  const std::size_t body_end = html.rfind("</body>");
  REQUIRE(body_end != std::string::npos);
  html.insert(body_end, controls_script);
  const fs::path page_file = work.path / "controls.html";
  std::ofstream(page_file) << html;
  const LoadedPage page = load_page(chromium, page_file, work.path);
  INFO("console:\n" << [&] { std::string all; for (const auto& m : page.console_messages) all += m + "\n"; return all; }());
  CHECK(page.console_messages.empty());
  auto number = [&](const std::string& name) { return std::stoi("0" + attribute_of(page.dom, name)); };

  CHECK(number("data-initial-ops") == 1500);  // both keys, a full page
  CHECK(attribute_of(page.dom, "data-initial-page").find("1500 a page") != std::string::npos);
  // "Show these ops in the timeline": the anomaly's key only, 100 ops a page, the page of the
  // op that cannot be placed, that op outlined.
  CHECK(attribute_of(page.dom, "data-anomaly-page").find("of key " + xss_as_text + ", 100 a page") != std::string::npos);
  CHECK(number("data-anomaly-ops") > 0);
  CHECK(number("data-anomaly-ops") <= 100);
  CHECK(number("data-anomaly-blocked") == 1);
  CHECK(number("data-anomaly-anomaly-key-ops") + 6 >= number("data-anomaly-ops"));  // at most the nemesis' ops besides
  // Zoom in: half as many ops, the blocked op still in view.
  CHECK(attribute_of(page.dom, "data-zoomed-page").find("50 a page") != std::string::npos);
  CHECK(number("data-zoomed-ops") <= 50);
  CHECK(number("data-zoomed-blocked") == 1);
  // The other key: none of the anomaly key's ops.
  CHECK(attribute_of(page.dom, "data-otherkey-page").find("of key k1") != std::string::npos);
  CHECK(number("data-otherkey-ops") > 0);
  CHECK(number("data-otherkey-anomaly-key-ops") == 0);
}

TEST_CASE("browser: the checks see an injected JavaScript error and an injected request") {
  const fs::path chromium = chromium_or_skip();
  TempDir work;
  std::string html = read_file(make_invalid_run_report(work.path));
  const std::size_t body_end = html.rfind("</body>");
  REQUIRE(body_end != std::string::npos);
  html.insert(body_end, "<img src=\"http://faultline-injected.invalid/pixel.png\"><script>injectedUndefinedFunction();</script>");
  const fs::path broken = work.path / "broken.html";
  std::ofstream(broken) << html;
  const LoadedPage page = load_page(chromium, broken, work.path);
  auto any_contains = [](const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(part) != std::string::npos; });
  };
  CHECK(any_contains(page.console_messages, "Uncaught ReferenceError: injectedUndefinedFunction is not defined"));
  CHECK(any_contains(page.page_requests, "faultline-injected.invalid/pixel.png"));
}

TEST_CASE("browser: a screenshot of the report is a PNG of the window's size") {
  const fs::path chromium = chromium_or_skip();
  TempDir work;
  const fs::path report = make_invalid_run_report(work.path);
  const fs::path screenshot = work.path / "report.png";
  std::vector<std::string> command = chromium_command(chromium, work.path / "profile-screenshot");
  command.insert(command.end(), {"--screenshot=" + screenshot.string(), "--window-size=1400,2000", "--hide-scrollbars",
                                 "file://" + report.string()});
  Finished run = run_process(command, work.path);
  INFO(run.stderr_text);
  REQUIRE(run.exit_code == 0);
  const std::string png = read_file(screenshot);
  REQUIRE(png.size() > 24);
  CHECK(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  auto big_endian = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
  };
  CHECK(png.substr(12, 4) == "IHDR");
  CHECK(big_endian(16) == 1400);  // width
  CHECK(big_endian(20) == 2000);  // height
  CHECK(png.size() > 50 * 1024);  // a blank page of that size compresses to a few KB
  // To look at it: FAULTLINE_KEEP_SCREENSHOT=/some/file.png
  if (const char* keep = std::getenv("FAULTLINE_KEEP_SCREENSHOT"); keep != nullptr && *keep != '\0')
    fs::copy_file(screenshot, keep, fs::copy_options::overwrite_existing);
}
