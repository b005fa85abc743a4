#include "peer_client.h"

#include <curl/curl.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace faultline::node {

struct PeerClient::State {
  struct Request {
    std::string path;
    std::string body;
    Callback done;
  };
  std::string base_url;
  std::int64_t timeout_ms = 0;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Request> queue;
  bool stopping = false;
  std::vector<std::thread> workers;

  void work() {
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (;;) {
      Request request;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) break;
        request = std::move(queue.front());
        queue.pop_front();
      }
      request.done(perform(curl, headers, request));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  }

  static std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }

  std::optional<std::string> perform(CURL* curl, curl_slist* headers, const Request& request) {
    if (curl == nullptr) return std::nullopt;
    const std::string url = base_url + request.path;
    std::string reply;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // routing goes through the peer's address, never an env proxy
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &State::collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    if (curl_easy_perform(curl) != CURLE_OK) return std::nullopt;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return std::nullopt;
    return reply;
  }
};

void PeerClient::global_init() { curl_global_init(CURL_GLOBAL_DEFAULT); }

PeerClient::PeerClient(std::string base_url, std::size_t connections, std::int64_t request_timeout_ms)
    : state_(std::make_unique<State>()) {
  state_->base_url = std::move(base_url);
  state_->timeout_ms = request_timeout_ms;
  for (std::size_t i = 0; i < connections; ++i) state_->workers.emplace_back([s = state_.get()] { s->work(); });
}

PeerClient::~PeerClient() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  for (auto& worker : state_->workers) worker.join();
}

void PeerClient::post(std::string path, std::string body, Callback done) {
  {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back(State::Request{std::move(path), std::move(body), std::move(done)});
  }
  state_->wake.notify_one();
}

}  // namespace faultline::node
