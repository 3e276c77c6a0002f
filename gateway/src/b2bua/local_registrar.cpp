#include "rtcgate/gateway/b2bua/local_registrar.hpp"

#include <rtcgate/sip/auth/message_auth.hpp>
#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>

namespace rtcgate::gateway::b2bua {
namespace {

sip::auth::DigestServerConfig auth_config(const Config& config) {
  sip::auth::DigestServerConfig out;
  out.realm = config.sip.domain.empty() ? std::string("rtcgate") : config.sip.domain;
  return out;
}

}  // namespace

LocalRegistrar::LocalRegistrar(const Config& config)
    : users_(config.users),
      registrar_(sip::registrar::RegistrarConfig{}, store_),
      auth_(auth_config(config),
            [this](std::string_view username, std::string_view) -> std::optional<sip::auth::UserSecret> {
              auto it = std::find_if(users_.begin(), users_.end(),
                                     [&](const LocalUser& u) { return u.name == username; });
              if (it == users_.end()) return std::nullopt;
              sip::auth::UserSecret secret;
              secret.password = it->password;
              return secret;
            }) {}

sip::Message LocalRegistrar::handle(const sip::Message& request, const sip::Flow& flow, sip::TimePoint now) {
  using sip::auth::AuthVerdict;
  const std::string tag = sip::make_tag();
  auto result = sip::auth::verify_request(auth_, request, sip::auth::ChallengeKind::Www, now);
  if (result.verdict == AuthVerdict::Malformed || result.verdict == AuthVerdict::UriMismatch) {
    return sip::make_response(request, 400, "Bad Request", tag);
  }
  if (!result.ok()) {
    return sip::auth::make_challenge(auth_, request, sip::auth::ChallengeKind::Www,
                                     result.verdict == AuthVerdict::Stale, tag, now);
  }
  sip::registrar::RegisterContext context;
  context.flow = tokens_.encode(flow);
  context.authenticated_user = result.username;
  context.to_tag = tag;
  return registrar_.handle(request, context, now).response;
}

std::vector<sip::registrar::Binding> LocalRegistrar::lookup(const sip::Uri& aor, sip::TimePoint now) const {
  return registrar_.lookup(aor, now);
}

std::optional<sip::Flow> LocalRegistrar::flow_of(const sip::registrar::Binding& binding) const {
  if (binding.flow.empty()) return std::nullopt;
  return tokens_.decode(binding.flow);
}

void LocalRegistrar::on_flow_closed(const sip::Flow& flow) {
  registrar_.remove_flow(tokens_.encode(flow));
}

}  // namespace rtcgate::gateway::b2bua
