// rtcgate-sdp: SDP tool for operators and tests.
//   rtcgate-sdp parse FILE
//       prints the normalised description (CRLF, RFC 8866 order) and exits 0, or prints
//       "line N: reason" on stderr and exits 2.
//   rtcgate-sdp to-legacy FILE --address IP --port N [--codecs PCMU,PCMA,...]
//       prints the legacy (RTP/AVP) offer that the WebRTC offer in FILE becomes on the PBX leg
//       (default codecs PCMU,PCMA plus telephone-event/8000).
// FILE "-" reads standard input. Exit codes: 0 success, 1 the offer has nothing to bridge (no
// audio m= line), 2 parse error, 64 bad usage, 66 unreadable FILE (the last two as in sysexits.h).
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int kExitNegotiation = 1;
constexpr int kExitParse = 2;
constexpr int kExitUsage = 64;
constexpr int kExitNoInput = 66;

constexpr std::string_view kUsage =
    "usage: rtcgate-sdp parse FILE\n"
    "       rtcgate-sdp to-legacy FILE --address IP --port N [--codecs PCMU,PCMA,...]\n"
    "FILE may be '-' for standard input.\n";

int usage(std::string_view why) {
  std::cerr << "rtcgate-sdp: " << why << '\n' << kUsage;
  return kExitUsage;
}

std::optional<std::string> read_input(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<rtcgate::sdp::SessionDescription> parse_or_report(const std::string& text) {
  auto d = rtcgate::sdp::parse(text);
  if (!d) {
    std::cerr << "line " << d.error().line << ": " << d.error().reason << " ("
              << rtcgate::sdp::to_string(d.error().code) << ")\n";
    return std::nullopt;
  }
  return std::move(*d);
}

struct LegacyArgs {
  std::string address;
  std::uint16_t port = 0;
  std::vector<rtcgate::sdp::Codec> codecs;
};

bool is_ipv4_literal(std::string_view s) {
  int octets = 0;
  while (true) {
    const auto dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return false;
    }
    if (std::stoi(std::string(part)) > 255) return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return octets == 4;
}

// What we write into o= and c= (RFC 8866 §5.7: an IPv4 or IPv6 literal, or a host name). The
// IPv6 check is only a character check: the address is the operator's own, not hostile input.
bool is_valid_address(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.find(':') != std::string_view::npos) {
    return s.size() <= 45 && std::all_of(s.begin(), s.end(), [](char c) {
             return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
           });
  }
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; })) {
    return is_ipv4_literal(s);
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
  });
}

std::optional<std::uint16_t> parse_port(const std::string& s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const unsigned long v = std::stoul(s);
  if (v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

// Returns an error message, or nullopt when the codec list is valid.
std::optional<std::string> parse_codecs(const std::string& list, std::vector<rtcgate::sdp::Codec>& out) {
  std::stringstream ss(list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    auto codec = rtcgate::sdp::codec_by_name(name);
    if (!codec) return "unknown codec '" + name + "' (known: PCMU, PCMA, G722, opus)";
    out.push_back(std::move(*codec));
  }
  if (out.empty()) return std::string("--codecs needs at least one codec");
  return std::nullopt;
}

std::optional<std::string> parse_legacy_args(const std::vector<std::string>& args, LegacyArgs& out) {
  for (std::size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return args[i] + " needs a value";
    const std::string& value = args[i + 1];
    if (args[i] == "--address") {
      if (!is_valid_address(value))
        return "--address must be an IPv4/IPv6 address or a host name, not '" + value + "'";
      out.address = value;
    } else if (args[i] == "--port") {
      auto port = parse_port(value);
      if (!port) return std::string("--port must be 1-65535");
      out.port = *port;
    } else if (args[i] == "--codecs") {
      if (auto err = parse_codecs(value, out.codecs)) return err;
    } else {
      return "unknown option " + args[i];
    }
  }
  if (out.address.empty() || out.port == 0) return std::string("--address and --port are required");
  if (out.codecs.empty()) out.codecs = {rtcgate::sdp::pcmu_codec(), rtcgate::sdp::pcma_codec()};
  return std::nullopt;
}

int run_parse(const std::string& file) {
  auto text = read_input(file);
  if (!text) {
    std::cerr << "rtcgate-sdp: cannot read " << file << '\n';
    return kExitNoInput;
  }
  auto d = parse_or_report(*text);
  if (!d) return kExitParse;
  std::cout << rtcgate::sdp::write(*d);
  return 0;
}

int run_to_legacy(const std::string& file, const std::vector<std::string>& options) {
  LegacyArgs args;
  if (auto err = parse_legacy_args(options, args)) return usage(*err);
  auto text = read_input(file);
  if (!text) {
    std::cerr << "rtcgate-sdp: cannot read " << file << '\n';
    return kExitNoInput;
  }
  auto offer = parse_or_report(*text);
  if (!offer) return kExitParse;
  rtcgate::sdp::LocalPolicy policy;
  policy.leg = rtcgate::sdp::Leg::Legacy;
  policy.session.address = args.address;
  // RFC 8866 §5.2 suggests an NTP-format timestamp for a unique session id.
  policy.session.session_id = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count() +
      2208988800LL);
  policy.port = args.port;
  policy.codecs = std::move(args.codecs);
  auto legacy = rtcgate::sdp::bridge_offer(policy, *offer);
  if (!legacy) {
    std::cerr << "rtcgate-sdp: cannot bridge: " << legacy.error().reason << '\n';
    return kExitNegotiation;
  }
  std::cout << rtcgate::sdp::write(*legacy);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 2) return usage("missing command or FILE");
  if (args[0] == "parse") {
    if (args.size() != 2) return usage("parse takes exactly one FILE");
    return run_parse(args[1]);
  }
  if (args[0] == "to-legacy")
    return run_to_legacy(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
  return usage("unknown command '" + args[0] + "'");
}
