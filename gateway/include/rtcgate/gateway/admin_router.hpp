// Request dispatch of the admin HTTP server, kept free of Beast so it is cheap to compile and to
// test: a table of exact paths to small handlers, plus the demo page's static files.
//
//   GET /healthz          200 "ok"
//   GET /metrics          Prometheus text format 0.0.4
//   GET /api/calls        JSON array (call_registry.hpp)
//   GET /api/config.json  what the demo page needs: WebSocket port and scheme, SIP domain, user
//   GET /                 the demo page (web_root/index.html); GET /NAME.{html,css,js,svg,ico,png}
//                         other files of web_root; GET /jssip.js the JsSIP bundle
//   anything else         404; methods other than GET: 405 with "Allow: GET"
//
// Ownership: borrows the config, the registry and the call provider, which must outlive it.
// Thread affinity: the signaling thread (CallProvider's contract).
#pragma once

#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/metrics.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtcgate::gateway {

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class AdminRouter {
 public:
  AdminRouter(const Config& config, MetricsRegistry& metrics, const CallProvider& calls);

  // `target` is the request-target (origin-form, RFC 9112 §3.2.1); the query is ignored.
  HttpReply handle(std::string_view method, std::string_view target) const;

 private:
  using Handler = HttpReply (AdminRouter::*)() const;
  HttpReply healthz() const;
  HttpReply metrics() const;
  HttpReply api_calls() const;
  HttpReply api_config() const;
  HttpReply index() const;
  HttpReply jssip() const;
  HttpReply static_file(std::string_view name) const;

  const Config& config_;
  MetricsRegistry& metrics_;
  const CallProvider& calls_;
  std::vector<std::pair<std::string_view, Handler>> routes_;
};

// "text/html; charset=utf-8" etc. for the static file extensions served; empty if not served.
std::string_view content_type_for(std::string_view file_name);

}  // namespace rtcgate::gateway
