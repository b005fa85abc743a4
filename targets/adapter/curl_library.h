// libcurl, loaded (dlopen) the first time a client speaks HTTP, not when a program starts:
// libcurl needs some 30 libraries (TLS, Kerberos, LDAP, ...), and loading them took most of
// `faultline`'s start-up, which every `faultline check` of a small file pays. Only
// http_connection.cc calls libcurl, through this table. Programs that link libcurl anyway
// (faultline-node) find it loaded already.
#pragma once

#include <curl/curl.h>

namespace faultline {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_escape) easy_escape;
  decltype(&::curl_free) free;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// The library, loaded once (thread-safe); throws std::runtime_error naming what is missing
// (Debian's libcurl4) when it cannot be loaded.
const CurlLibrary& curl_library();

}  // namespace faultline
