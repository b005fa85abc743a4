#include "proxy_set.h"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <cassert>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "../../workloads/random_choice.h"
#include "proxy_limits.h"

namespace faultline::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

std::string validate_link_state(const LinkState& state) {
  const auto in_range = [](std::int64_t ms) { return ms >= 0 && ms <= link_latency_ms_max; };
  if (!in_range(state.latency_ms) || !in_range(state.jitter_ms))
    return "link latency " + std::to_string(state.latency_ms) + " ms and jitter " + std::to_string(state.jitter_ms) +
           " ms must each be from 0 to " + std::to_string(link_latency_ms_max) + " ms";
  if (!(state.loss_probability >= 0 && state.loss_probability < 1))
    return "link loss probability " + std::to_string(state.loss_probability) +
           " must be at least 0 and below 1 (a link that loses everything is a cut)";
  return "";
}

namespace {

struct Chunk {
  std::string bytes;  // empty with `end`: the sender closed its side
  bool end = false;
  Clock::time_point deliver_at;
};

}  // namespace

class Connection;

struct ProxySet::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
  std::vector<ProxyNode> nodes;
  std::map<std::string, std::size_t> index;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;  // [from * N + to], null when from == to
  std::vector<std::uint16_t> ports;                       // [from * N + to]
  // Proxy thread only: the links as the sockets see them, the connections, the random source.
  std::vector<LinkState> links;  // [from * N + to]
  std::map<Connection*, std::shared_ptr<Connection>> connections;
  std::mt19937_64 random;
  // Control side: serializes control calls and keeps the states they set, for link_state().
  mutable std::mutex control_mutex;
  std::vector<LinkState> links_set;

  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_established{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> bytes_delivered{0};
  std::atomic<std::uint64_t> sockets_without_nodelay{0};

  std::size_t link(std::size_t from, std::size_t to) const { return from * nodes.size() + to; }

  void set_nodelay(tcp::socket& socket) {
    error_code error;
    socket.set_option(tcp::no_delay(true), error);
    tcp::no_delay option;
    if (!error) socket.get_option(option, error);
    if (error || !option.value()) ++sockets_without_nodelay;
  }

  // When a chunk read now on `link_index` may be delivered: after latency, jitter and the
  // retransmissions of its losses, never before the previous chunk (TCP keeps order).
  Clock::time_point delivery_time(std::size_t link_index, Clock::time_point previous) {
    const LinkState& state = links[link_index];
    std::int64_t delay_ms = state.latency_ms;
    if (state.jitter_ms > 0) delay_ms += uniform_below(random, state.jitter_ms + 1);
    if (state.loss_probability > 0) {
      for (int lost = 0; lost < retransmissions_max; ++lost) {
        const double draw = static_cast<double>(random() >> 11) * 0x1.0p-53;  // [0, 1), from the seed alone
        if (draw >= state.loss_probability) break;
        delay_ms += retransmission_timeout_ms << lost;
      }
    }
    return std::max(previous, Clock::now() + std::chrono::milliseconds(delay_ms));
  }

  void accept(std::size_t from, std::size_t to);
  void kick_all();
  std::string check_link(const std::string& from, const std::string& to) const;
  // Runs `work` on the proxy thread and waits for it; false when it did not run in time.
  bool run_on_proxy_thread(std::function<void()> work);
};

// One client connection through P(from->to) and, once established, its connection to `to`.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ProxySet::Impl& impl, std::size_t from, std::size_t to, tcp::socket client)
      : impl_(impl),
        client_(std::move(client)),
        upstream_(impl.io),
        connect_timer_(impl.io),
        up_(&client_, &upstream_, impl.link(from, to), impl.io),
        down_(&upstream_, &client_, impl.link(to, from), impl.io),
        to_(to) {}

  void start() {
    impl_.set_nodelay(client_);
    read(up_);  // while not established, this is what the client sends before the peer is reached
    kick();
  }

  // The links changed: connect if both directions opened, deliver held bytes.
  void kick() {
    if (closed_) return;
    if (!established_) {
      if (!connecting_ && !impl_.links[up_.link].cut && !impl_.links[down_.link].cut) connect();
      return;
    }
    write(up_);
    write(down_);
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
    connect_timer_.cancel();
    up_.timer.cancel();
    down_.timer.cancel();
    --impl_.connections_open;
    impl_.connections.erase(this);  // the handlers still queued hold the last references
  }

 private:
  // One way through the connection: read from `in`, held, then written to `out`.
  struct Direction {
    Direction(tcp::socket* in, tcp::socket* out, std::size_t link, asio::io_context& io)
        : in(in), out(out), link(link), timer(io) {}
    tcp::socket* in;
    tcp::socket* out;
    std::size_t link;  // whose state governs these bytes
    std::deque<Chunk> held;
    std::size_t held_bytes = 0;
    bool reading = false;
    bool writing = false;  // a write or a wait for a delivery time is under way
    bool ended = false;    // the sender's end was read: no more reads
    Clock::time_point last_delivery;
    asio::steady_timer timer;
    std::array<char, chunk_bytes_max> buffer;
  };

  void connect() {
    connecting_ = true;
    const tcp::endpoint peer(asio::ip::address_v4::loopback(), impl_.nodes[to_].port);
    connect_timer_.expires_after(std::chrono::milliseconds(upstream_connect_timeout_ms));
    connect_timer_.async_wait([self = shared_from_this()](const error_code& error) {
      if (!error && !self->established_) self->close();
    });
    upstream_.async_connect(peer, [self = shared_from_this()](const error_code& error) {
      if (self->closed_) return;
      self->connect_timer_.cancel();
      if (error) return self->close();  // the client sees its connection end, as with a peer that is down
      self->established_ = true;
      ++self->impl_.connections_established;
      self->impl_.set_nodelay(self->upstream_);
      self->read(self->down_);
      self->kick();
    });
  }

  void read(Direction& direction) {
    if (closed_ || direction.reading || direction.ended || direction.held_bytes >= held_bytes_max) return;
    direction.reading = true;
    const std::size_t room = std::min(chunk_bytes_max, held_bytes_max - direction.held_bytes);
    direction.in->async_read_some(
        asio::buffer(direction.buffer.data(), room),
        [self = shared_from_this(), &direction](const error_code& error, std::size_t bytes) {
          direction.reading = false;
          if (self->closed_) return;
          if (error && !self->established_) return self->close();  // gave up before reaching the peer
          if (error == asio::error::eof) {
            direction.ended = true;
            direction.held.push_back({"", true, self->impl_.delivery_time(direction.link, direction.last_delivery)});
          } else if (error) {
            return self->close();
          } else {
            direction.last_delivery = self->impl_.delivery_time(direction.link, direction.last_delivery);
            direction.held.push_back({std::string(direction.buffer.data(), bytes), false, direction.last_delivery});
            direction.held_bytes += bytes;
            self->read(direction);
          }
          self->write(direction);
        });
  }

  void write(Direction& direction) {
    if (closed_ || !established_ || direction.writing || direction.held.empty()) return;
    if (impl_.links[direction.link].cut) return;  // held until a kick after the heal
    Chunk& chunk = direction.held.front();
    if (Clock::now() < chunk.deliver_at) {
      direction.writing = true;
      direction.timer.expires_at(chunk.deliver_at);
      direction.timer.async_wait([self = shared_from_this(), &direction](const error_code&) {
        direction.writing = false;
        self->write(direction);
      });
      return;
    }
    if (chunk.end) {
      error_code ignored;
      direction.out->shutdown(tcp::socket::shutdown_send, ignored);
      direction.held.pop_front();
      if (up_.ended && down_.ended && up_.held.empty() && down_.held.empty()) close();
      return;
    }
    direction.writing = true;
    asio::async_write(*direction.out, asio::buffer(chunk.bytes),
                      [self = shared_from_this(), &direction](const error_code& error, std::size_t bytes) {
                        direction.writing = false;
                        if (self->closed_) return;
                        if (error) return self->close();
                        self->impl_.bytes_delivered += bytes;
                        direction.held_bytes -= bytes;
                        direction.held.pop_front();
                        self->read(direction);
                        self->write(direction);
                      });
  }

  ProxySet::Impl& impl_;
  tcp::socket client_;
  tcp::socket upstream_;
  asio::steady_timer connect_timer_;
  Direction up_;    // client -> peer, on link from -> to
  Direction down_;  // peer -> client, on link to -> from
  std::size_t to_;
  bool connecting_ = false;
  bool established_ = false;
  bool closed_ = false;
};

void ProxySet::Impl::accept(std::size_t from, std::size_t to) {
  tcp::acceptor& acceptor = *acceptors[link(from, to)];
  acceptor.async_accept([this, from, to](const error_code& error, tcp::socket socket) {
    if (error == asio::error::operation_aborted) return;  // shutting down
    if (!error) {
      ++connections_accepted;
      ++connections_open;
      auto connection = std::make_shared<Connection>(*this, from, to, std::move(socket));
      connections.emplace(connection.get(), connection);
      connection->start();
    }
    accept(from, to);
  });
}

void ProxySet::Impl::kick_all() {
  // A copy: a kick can close (and so erase) a connection.
  std::vector<std::shared_ptr<Connection>> all;
  for (const auto& [pointer, connection] : connections) all.push_back(connection);
  for (const auto& connection : all) connection->kick();
}

std::string ProxySet::Impl::check_link(const std::string& from, const std::string& to) const {
  if (!index.contains(from)) return "link " + from + " -> " + to + ": '" + from + "' is not a proxied node";
  if (!index.contains(to)) return "link " + from + " -> " + to + ": '" + to + "' is not a proxied node";
  if (from == to) return "link " + from + " -> " + to + ": a node does not talk to itself through a proxy";
  return "";
}

bool ProxySet::Impl::run_on_proxy_thread(std::function<void()> work) {
  assert(std::this_thread::get_id() != thread.get_id() && "control calls never come from the proxy thread");
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  asio::post(io, [work = std::move(work), done] {
    work();
    done->set_value();
  });
  return finished.wait_for(std::chrono::milliseconds(control_apply_timeout_ms)) == std::future_status::ready;
}

ProxySet::ProxySet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::expected<std::unique_ptr<ProxySet>, std::string> ProxySet::start(const std::vector<ProxyNode>& nodes,
                                                                      std::uint64_t seed) {
  auto impl = std::make_unique<Impl>();
  impl->nodes = nodes;
  impl->random.seed(seed);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].id.empty()) return std::unexpected(std::string("proxies: a node has an empty id"));
    if (nodes[i].port == 0) return std::unexpected("proxies: node " + nodes[i].id + " has port 0");
    if (!impl->index.emplace(nodes[i].id, i).second)
      return std::unexpected("proxies: node " + nodes[i].id + " is given twice");
  }
  const std::size_t n = nodes.size();
  impl->links.assign(n * n, link_open);
  impl->links_set = impl->links;
  impl->ports.assign(n * n, 0);
  impl->acceptors.resize(n * n);
  for (std::size_t from = 0; from < n; ++from) {
    for (std::size_t to = 0; to < n; ++to) {
      if (from == to) continue;
      auto acceptor = std::make_unique<tcp::acceptor>(impl->io);
      error_code error;
      const tcp::endpoint any_port(asio::ip::address_v4::loopback(), 0);
      acceptor->open(any_port.protocol(), error);
      if (!error) acceptor->bind(any_port, error);
      if (!error) acceptor->listen(asio::socket_base::max_listen_connections, error);
      if (error)
        return std::unexpected("proxies: cannot listen on 127.0.0.1 for link " + nodes[from].id + " -> " +
                               nodes[to].id + ": " + error.message());
      impl->ports[impl->link(from, to)] = acceptor->local_endpoint().port();
      impl->acceptors[impl->link(from, to)] = std::move(acceptor);
      impl->accept(from, to);
    }
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<ProxySet>(new ProxySet(std::move(impl)));
}

ProxySet::~ProxySet() {
  asio::post(impl_->io, [impl = impl_.get()] {
    for (auto& acceptor : impl->acceptors)
      if (acceptor) acceptor->close();
    std::vector<std::shared_ptr<Connection>> all;
    for (const auto& [pointer, connection] : impl->connections) all.push_back(connection);
    for (const auto& connection : all) connection->close();
    impl->work.reset();  // run() returns once the cancelled handlers have run
  });
  impl_->thread.join();
}

std::uint16_t ProxySet::listen_port(const std::string& from, const std::string& to) const {
  assert(impl_->check_link(from, to).empty());
  return impl_->ports[impl_->link(impl_->index.at(from), impl_->index.at(to))];
}

std::string ProxySet::listen_address(const std::string& from, const std::string& to) const {
  return "127.0.0.1:" + std::to_string(listen_port(from, to));
}

std::string ProxySet::set_link_states(const std::vector<LinkChange>& changes) {
  std::vector<std::pair<std::size_t, LinkState>> resolved;
  for (const LinkChange& change : changes) {
    if (std::string error = impl_->check_link(change.from, change.to); !error.empty()) return error;
    if (std::string error = validate_link_state(change.state); !error.empty())
      return "link " + change.from + " -> " + change.to + ": " + error;
    resolved.emplace_back(impl_->link(impl_->index.at(change.from), impl_->index.at(change.to)), change.state);
  }
  std::lock_guard lock(impl_->control_mutex);
  for (const auto& [link, state] : resolved) impl_->links_set[link] = state;
  const bool applied = impl_->run_on_proxy_thread([impl = impl_.get(), resolved] {
    for (const auto& [link, state] : resolved) impl->links[link] = state;
    impl->kick_all();
  });
  if (!applied)
    return "proxies: the proxy thread did not apply the link change within " +
           std::to_string(control_apply_timeout_ms) + " ms";
  return "";
}

std::string ProxySet::set_link_state(const std::string& from, const std::string& to, const LinkState& state) {
  return set_link_states({{from, to, state}});
}

void ProxySet::heal_all() {
  std::lock_guard lock(impl_->control_mutex);
  impl_->links_set.assign(impl_->links_set.size(), link_open);
  const bool applied = impl_->run_on_proxy_thread([impl = impl_.get()] {
    impl->links.assign(impl->links.size(), link_open);
    impl->kick_all();
  });
  // The proxy thread only runs short handlers; not getting to one in seconds is a broken invariant.
  assert(applied && "the proxy thread is stuck");
  (void)applied;
}

LinkState ProxySet::link_state(const std::string& from, const std::string& to) const {
  assert(impl_->check_link(from, to).empty());
  std::lock_guard lock(impl_->control_mutex);
  return impl_->links_set[impl_->link(impl_->index.at(from), impl_->index.at(to))];
}

ProxyStatistics ProxySet::statistics() const {
  ProxyStatistics statistics;
  statistics.connections_accepted = impl_->connections_accepted;
  statistics.connections_established = impl_->connections_established;
  statistics.bytes_delivered = impl_->bytes_delivered;
  statistics.sockets_without_nodelay = impl_->sockets_without_nodelay;
  statistics.connections_open = impl_->connections_open;
  return statistics;
}

}  // namespace faultline::proxy
