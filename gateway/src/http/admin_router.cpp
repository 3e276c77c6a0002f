#include "rtcgate/gateway/admin_router.hpp"

#include "rtcgate/gateway/json_writer.hpp"

#include <algorithm>
#include <fstream>

namespace rtcgate::gateway {
namespace {

constexpr std::size_t kMaxStaticFileBytes = 4 * 1024 * 1024;

HttpReply text(unsigned status, std::string body) {
  HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string data(kMaxStaticFileBytes + 1, '\0');
  file.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (file.bad() || static_cast<std::size_t>(file.gcount()) > kMaxStaticFileBytes) return std::nullopt;
  data.resize(static_cast<std::size_t>(file.gcount()));
  return data;
}

// Only flat, lower-case names are served: no '/', no "..", no hidden files.
bool servable_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  bool names_ok = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
  return names_ok && name.find("..") == std::string_view::npos && !content_type_for(name).empty();
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".png", "image/png"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (file_name.ends_with(ext)) return type;
  }
  return {};
}

AdminRouter::AdminRouter(const Config& config, MetricsRegistry& metrics, const CallProvider& calls)
    : config_(config),
      metrics_(metrics),
      calls_(calls),
      routes_{{"/healthz", &AdminRouter::healthz},
              {"/metrics", &AdminRouter::metrics},
              {"/api/calls", &AdminRouter::api_calls},
              {"/api/config.json", &AdminRouter::api_config},
              {"/", &AdminRouter::index},
              {"/index.html", &AdminRouter::index},
              {"/jssip.js", &AdminRouter::jssip}} {}

HttpReply AdminRouter::handle(std::string_view method, std::string_view target) const {
  if (method != "GET") {
    HttpReply reply = text(405, "method not allowed\n");
    reply.headers.emplace_back("Allow", "GET");
    return reply;
  }
  std::string_view path = target.substr(0, target.find('?'));
  for (const auto& [route, handler] : routes_) {
    if (route == path) return (this->*handler)();
  }
  if (path.size() > 1 && path.front() == '/' && servable_name(path.substr(1))) {
    return static_file(path.substr(1));
  }
  return text(404, "not found\n");
}

HttpReply AdminRouter::healthz() const {
  return text(200, "ok\n");
}

HttpReply AdminRouter::metrics() const {
  HttpReply reply = text(200, metrics_.render_prometheus());
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return reply;
}

HttpReply AdminRouter::api_calls() const {
  std::vector<CallInfo> calls = calls_.calls();
  HttpReply reply = text(200, calls_to_json(calls) + "\n");
  reply.content_type = "application/json";
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

HttpReply AdminRouter::api_config() const {
  JsonWriter json;
  json.begin_object().field("domain", config_.sip.domain);
  if (auto ws = config_.websocket_listener()) {
    json.field("ws_scheme", ws->transport == SipTransport::Wss ? "wss" : "ws")
        .field("ws_port", ws->address.port);
  } else {
    json.key("ws_scheme").null().key("ws_port").null();
  }
  json.field("default_target", "echo");
  json.field("user", config_.users.empty() ? std::string() : config_.users.front().name);
  // Only the built-in configuration's demo password is public (gateway/docs/configuration.md).
  json.field("password", config_.builtin && !config_.users.empty() ? config_.users.front().password : "");
  json.field("jssip_available", std::ifstream(config_.http.jssip_bundle).good());
  json.end_object();
  HttpReply reply = text(200, json.take() + "\n");
  reply.content_type = "application/json";
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

HttpReply AdminRouter::index() const {
  return static_file("index.html");
}

HttpReply AdminRouter::jssip() const {
  auto data = config_.http.jssip_bundle.empty() ? std::nullopt : read_file(config_.http.jssip_bundle);
  if (!data)
    return text(404, "JsSIP bundle not built (needs node and tests/peers/node_modules at build time)\n");
  HttpReply reply = text(200, std::move(*data));
  reply.content_type = std::string(content_type_for(".js"));
  return reply;
}

HttpReply AdminRouter::static_file(std::string_view name) const {
  if (config_.http.web_root.empty()) return text(404, "not found\n");
  auto data = read_file(config_.http.web_root + "/" + std::string(name));
  if (!data) return text(404, "not found\n");
  HttpReply reply = text(200, std::move(*data));
  reply.content_type = std::string(content_type_for(name));
  return reply;
}

}  // namespace rtcgate::gateway
