#include "peer_client.h"

#include "limits.h"

#include <curl/curl.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
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
  std::size_t batch_max = 1;
  std::size_t batch_bytes_max = 0;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Request> queue;
  bool stopping = false;
  std::vector<std::thread> workers;
  std::vector<CURL*> idle_handles;  // call(): keep-alive connections not in use (under `mutex`)

  void work() {
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    std::vector<Request> batch;
    for (;;) {
      batch.clear();
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) break;
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
        // Requests for the same path that queued up behind it go along.
        std::size_t bytes = batch.front().body.size();
        for (auto it = queue.begin(); it != queue.end() && batch.size() < batch_max;) {
          if (it->path != batch.front().path) {
            ++it;
            continue;
          }
          if (bytes + it->body.size() > batch_bytes_max) break;
          bytes += it->body.size();
          batch.push_back(std::move(*it));
          it = queue.erase(it);
        }
      }
      if (batch.size() == 1) {
        batch.front().done(parsed(perform(curl, headers, batch.front())));
        continue;
      }
      std::string body = "[";
      for (const Request& request : batch) {
        if (body.size() > 1) body += ',';
        body += request.body;
      }
      body += ']';
      std::optional<nlohmann::json> replies = parsed(perform(curl, headers, batch.front().path, body, timeout_ms).body);
      const bool whole = replies && replies->is_array() && replies->size() == batch.size();
      for (std::size_t i = 0; i < batch.size(); ++i)
        batch[i].done(whole ? std::optional<nlohmann::json>(std::move((*replies)[i])) : std::nullopt);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  }

  static std::optional<nlohmann::json> parsed(const std::optional<std::string>& body) {
    if (!body) return std::nullopt;
    nlohmann::json reply = nlohmann::json::parse(*body, nullptr, false);
    if (reply.is_discarded()) return std::nullopt;
    return reply;
  }

  static std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }

  std::optional<std::string> perform(CURL* curl, curl_slist* headers, const Request& request) {
    return perform(curl, headers, request.path, request.body, timeout_ms).body;
  }

  PeerReply perform(CURL* curl, curl_slist* headers, const std::string& path, const std::string& body,
                    std::int64_t request_timeout_ms) {
    if (curl == nullptr) return PeerReply{std::nullopt, false, {}};
    const std::string url = base_url + path;
    std::string reply;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, static_cast<long>(peer_connection_idle_s_max));
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // routing goes through the peer's address, never an env proxy
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &State::collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) return PeerReply{std::nullopt, true, {}};
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return PeerReply{std::nullopt, true, {}};
    return PeerReply{std::move(reply), true, {}};
  }
};

void PeerClient::global_init() { curl_global_init(CURL_GLOBAL_DEFAULT); }

PeerClient::PeerClient(std::string base_url, std::size_t connections, std::int64_t request_timeout_ms,
                       std::size_t batch_max, std::size_t batch_bytes_max)
    : state_(std::make_unique<State>()) {
  state_->base_url = std::move(base_url);
  state_->timeout_ms = request_timeout_ms;
  state_->batch_max = batch_max < 1 ? 1 : batch_max;
  state_->batch_bytes_max = batch_bytes_max;
  for (std::size_t i = 0; i < connections; ++i) state_->workers.emplace_back([s = state_.get()] { s->work(); });
}

PeerClient::~PeerClient() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  for (auto& worker : state_->workers) worker.join();
  for (CURL* curl : state_->idle_handles) curl_easy_cleanup(curl);
}

namespace {

// call()'s body goes out through a read callback, so that we know whether any of it left: if the
// callback never ran, the peer cannot have the request, whatever failed. A connection refused or
// a connect that timed out, after a reused keep-alive connection was found dead before use, all
// end so. (Without a seek callback libcurl cannot silently send the body again on a fresh
// connection when a reused one dies mid-request: that fails, and counts as maybe delivered.)
struct Upload {
  const std::string& body;
  std::size_t offset = 0;
  bool started = false;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto* upload = static_cast<Upload*>(data);
  upload->started = true;
  const std::size_t n = std::min(size * count, upload->body.size() - upload->offset);
  std::memcpy(buffer, upload->body.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

}  // namespace

PeerReply PeerClient::call(const std::string& path, const std::string& body, std::int64_t timeout_ms,
                           std::int64_t connect_timeout_ms) {
  CURL* curl = nullptr;
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->idle_handles.empty()) {
      curl = state_->idle_handles.back();
      state_->idle_handles.pop_back();
    }
  }
  if (curl == nullptr) curl = curl_easy_init();
  // No "Expect: 100-continue": the body goes with the request.
  static curl_slist* const headers =
      curl_slist_append(curl_slist_append(nullptr, "Content-Type: application/json"), "Expect:");
  if (curl == nullptr) return PeerReply{std::nullopt, false, {}};
  const std::string url = state_->base_url + path;
  std::string answer;
  Upload upload{body};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, static_cast<long>(peer_connection_idle_s_max));
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &State::collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  PeerReply reply{std::nullopt, upload.started, {}};
  if (code == CURLE_OK && status == 200) reply.body = std::move(answer);
  else reply.error = code != CURLE_OK ? curl_easy_strerror(code) : "HTTP status " + std::to_string(status);
  {
    std::lock_guard lock(state_->mutex);
    state_->idle_handles.push_back(curl);
  }
  return reply;
}

void PeerClient::post(std::string path, std::string body, Callback done) {
  {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back(State::Request{std::move(path), std::move(body), std::move(done)});
  }
  state_->wake.notify_one();
}

}  // namespace faultline::node
