// The link proxies' costs, for BENCHMARKS.md (not a test; prints figures):
//   build/bin/faultline-proxy-bench [round_trips] [stream_mib]
// - apply / heal: how long set_link_state(cut) and heal_all take to be in effect, with idle
//   connections open through the proxies (each change visits every connection);
// - added latency: sequential 100-byte request/response round trips to an echo server,
//   direct and through an open proxied link, p50 / p99 / max;
// - throughput: a stream echoed back, direct and through the proxy.
// Everything on 127.0.0.1; the echo server runs one thread per connection.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "proxy_set.h"
#include "proxy_test_support.h"

using namespace faultline::proxy;
using namespace faultline::proxy::testing;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t answer_timeout_ms = 5'000;
constexpr int idle_connections = 50;
constexpr int control_rounds = 1'000;

double micros(Clock::duration duration) { return std::chrono::duration<double, std::micro>(duration).count(); }

struct Percentiles {
  double p50, p99, max;
};
Percentiles percentiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))]; };
  return {at(0.50), at(0.99), samples.back()};
}

Percentiles round_trips(std::uint16_t port, int count) {
  Client client(port);
  const std::string request(100, 'r');
  std::vector<double> samples;
  for (int i = 0; i < count; ++i) {
    const auto started = Clock::now();
    if (client.request(request, answer_timeout_ms) != request) {
      std::fprintf(stderr, "round trip %d failed\n", i);
      std::exit(1);
    }
    samples.push_back(micros(Clock::now() - started));
  }
  return percentiles(samples);
}

double stream_mib_per_second(std::uint16_t port, std::size_t mib) {
  Client client(port);
  const std::string block(64 * 1024, 's');
  const std::size_t total = mib * 1024 * 1024;
  const auto started = Clock::now();
  std::thread sender([&] {
    for (std::size_t sent = 0; sent < total; sent += block.size()) client.send(block);
  });
  std::size_t received = 0;
  while (received < total) {
    const std::string part = client.receive(std::min<std::size_t>(total - received, 1 << 20), answer_timeout_ms);
    if (part.empty()) break;
    received += part.size();
  }
  sender.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (received != total) {
    std::fprintf(stderr, "stream: received %zu of %zu bytes\n", received, total);
    std::exit(1);
  }
  return static_cast<double>(mib) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 5'000;
  const std::size_t stream_mib = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 256;
  EchoServer server;
  auto started = ProxySet::start({{"a", server.port()}, {"b", server.port()}}, 1);
  if (!started) {
    std::fprintf(stderr, "%s\n", started.error().c_str());
    return 1;
  }
  ProxySet& proxies = **started;

  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < idle_connections; ++i) {
    idle.push_back(std::make_unique<Client>(proxies.listen_port("a", "b")));
    idle.back()->request("x", answer_timeout_ms);
  }
  LinkState cut;
  cut.cut = true;
  std::vector<double> apply, heal;
  for (int i = 0; i < control_rounds; ++i) {
    auto t0 = Clock::now();
    proxies.set_link_state("a", "b", cut);
    apply.push_back(micros(Clock::now() - t0));
    t0 = Clock::now();
    proxies.heal_all();
    heal.push_back(micros(Clock::now() - t0));
  }
  idle.clear();
  const Percentiles a = percentiles(apply), h = percentiles(heal);
  std::printf("apply (cut one link), %d idle connections, %d rounds: p50 %.1f us  p99 %.1f us  max %.1f us\n",
              idle_connections, control_rounds, a.p50, a.p99, a.max);
  std::printf("heal_all,             %d idle connections, %d rounds: p50 %.1f us  p99 %.1f us  max %.1f us\n",
              idle_connections, control_rounds, h.p50, h.p99, h.max);

  const Percentiles direct = round_trips(server.port(), count);
  const Percentiles proxied = round_trips(proxies.listen_port("a", "b"), count);
  std::printf("round trip, 100 B, %d sequential: direct  p50 %.1f us  p99 %.1f us  max %.1f us\n", count, direct.p50,
              direct.p99, direct.max);
  std::printf("                                   proxied p50 %.1f us  p99 %.1f us  max %.1f us\n", proxied.p50,
              proxied.p99, proxied.max);
  std::printf("                                   added   p50 %.1f us  p99 %.1f us\n", proxied.p50 - direct.p50,
              proxied.p99 - direct.p99);

  const double direct_rate = stream_mib_per_second(server.port(), stream_mib);
  const double proxied_rate = stream_mib_per_second(proxies.listen_port("a", "b"), stream_mib);
  std::printf("echo stream, %zu MiB each way: direct %.0f MiB/s  proxied %.0f MiB/s (%.0f%%)\n", stream_mib,
              direct_rate, proxied_rate, 100.0 * proxied_rate / direct_rate);
  const ProxyStatistics statistics = proxies.statistics();
  std::printf("proxy: %llu connections, %llu bytes delivered, %llu sockets without TCP_NODELAY\n",
              static_cast<unsigned long long>(statistics.connections_accepted),
              static_cast<unsigned long long>(statistics.bytes_delivered),
              static_cast<unsigned long long>(statistics.sockets_without_nodelay));
  return 0;
}
