#include "curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace faultline {
namespace {

constexpr const char* curl_soname = "libcurl.so.4";

template <typename Function>
void resolve(void* library, const char* name, Function& function) {
  function = reinterpret_cast<Function>(dlsym(library, name));
  if (function == nullptr)
    throw std::runtime_error(std::string(curl_soname) + " has no " + name + ": install Debian's libcurl4 (scripts/install-deps does)");
}

CurlLibrary load() {
  void* library = dlopen(curl_soname, RTLD_NOW | RTLD_GLOBAL);
  if (library == nullptr)
    throw std::runtime_error(std::string("cannot load ") + curl_soname + " (" + dlerror() +
                             "): install Debian's libcurl4 (scripts/install-deps does)");
  CurlLibrary curl{};
  resolve(library, "curl_global_init", curl.global_init);
  resolve(library, "curl_easy_init", curl.easy_init);
  resolve(library, "curl_easy_setopt", curl.easy_setopt);
  resolve(library, "curl_easy_perform", curl.easy_perform);
  resolve(library, "curl_easy_getinfo", curl.easy_getinfo);
  resolve(library, "curl_easy_cleanup", curl.easy_cleanup);
  resolve(library, "curl_easy_strerror", curl.easy_strerror);
  resolve(library, "curl_easy_escape", curl.easy_escape);
  resolve(library, "curl_free", curl.free);
  resolve(library, "curl_slist_append", curl.slist_append);
  resolve(library, "curl_slist_free_all", curl.slist_free_all);
  return curl;
}

}  // namespace

const CurlLibrary& curl_library() {
  static const CurlLibrary curl = load();  // a throw leaves it to be tried again
  return curl;
}

}  // namespace faultline
