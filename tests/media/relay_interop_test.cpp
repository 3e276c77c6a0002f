// Real WebRTC far ends: aiortc (tests/media/interop/aiortc_peer.py) and Google's libwebrtc through
// @roamhq/wrtc (tests/media/interop/wrtc_peer.js) each complete ICE and DTLS-SRTP with a MediaSession
// made through MediaEngine and send a 440 Hz Opus tone; the session relays it as plain RTP to this
// test's UDP socket (the "PBX"), where libopus decodes it and the tone is measured. The other way, the
// test sends a 1000 Hz Opus tone as plain RTP (passthrough: the same codec on both legs), the peer
// records what it hears to a WAV file, and the test measures that. A second test kills the peer and
// expects consent freshness (RFC 7675) to report it.
// Parameters travel as one JSON line each way over the peer's stdin/stdout; the peers write the SDP.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numbers>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opus.h>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "rtcgate/media/worker/media_engine.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr double kWebTone = 440.0;
constexpr double kLegacyTone = 1000.0;
constexpr int kRate = 48000;
constexpr int kFrame = 960;

class Events {
 public:
  void push(SessionEvent event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    cv_.notify_all();
  }
  // Waits for an event of type T (earlier ones of other types are kept).
  template <typename T>
  std::optional<T> wait(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    std::optional<T> found;
    cv_.wait_for(lock, limit, [&] {
      for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (auto* t = std::get_if<T>(&it->body)) {
          found = *t;
          events_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::vector<IceCandidate> candidates() {
    std::lock_guard lock(mutex_);
    std::vector<IceCandidate> out;
    for (const auto& e : events_)
      if (auto* c = std::get_if<LocalCandidate>(&e.body)) out.push_back(c->candidate);
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<SessionEvent> events_;
};

// The python peer with its stdin and stdout on pipes.
class Peer {
 public:
  Peer(const std::string& kind, const std::string& wav, double seconds) {
    int in[2];
    int out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      const std::string dir = std::string(RTCGATE_SOURCE_DIR) + "/tests/media/interop/";
      const std::string secs = std::to_string(seconds);
      const std::string freq = std::to_string(kWebTone);
      if (kind == "wrtc") {
        const std::string script = dir + "wrtc_peer.js";
        ::execlp("node", "node", script.c_str(), "--wav", wav.c_str(), "--seconds", secs.c_str(), "--freq",
                 freq.c_str(), static_cast<char*>(nullptr));
      } else {
        // Debian's python3 (PEERS.md): another python3 on PATH may not see python3-aiortc.
        const std::string script = dir + "aiortc_peer.py";
        ::execl("/usr/bin/python3", "python3", script.c_str(), "--wav", wav.c_str(), "--seconds",
                secs.c_str(), "--freq", freq.c_str(), static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = ::fdopen(in[1], "w");
    from_ = ::fdopen(out[0], "r");
  }
  ~Peer() {
    kill();
    if (to_ != nullptr) std::fclose(to_);
    if (from_ != nullptr) std::fclose(from_);
  }
  void send_line(const std::string& line) {
    std::fputs((line + "\n").c_str(), to_);
    std::fflush(to_);
  }
  std::string read_line() {
    char buf[16384];
    if (std::fgets(buf, sizeof(buf), from_) == nullptr) return {};
    return buf;
  }
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  bool wait_exit(std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;
  std::FILE* from_ = nullptr;
};

// Goertzel power of one frequency over a block of samples.
double tone_power(const std::vector<float>& pcm, double freq, int rate) {
  const double w = 2 * std::numbers::pi * freq / rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0;
  double s2 = 0;
  for (float x : pcm) {
    const double s = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

// The tone must stand out from every other probe frequency by 20 dB.
void expect_dominant(const std::vector<float>& pcm, double freq, int rate) {
  ASSERT_GT(pcm.size(), static_cast<std::size_t>(rate / 2)) << "too little audio";
  const double target = tone_power(pcm, freq, rate);
  for (double other : {300.0, 440.0, 700.0, 1000.0, 1500.0, 2200.0, 3100.0}) {
    if (std::abs(other - freq) < 1) continue;
    EXPECT_GT(target, 100 * tone_power(pcm, other, rate)) << "probe " << other << " Hz vs " << freq << " Hz";
  }
}

std::string json_escape(const std::string& s) {
  return s;
}  // ufrag/pwd/fingerprint are [A-Za-z0-9+/:]

std::string our_json(const SessionCreated& created, const std::vector<IceCandidate>& candidates) {
  std::string json = "{\"ufrag\":\"" + json_escape(created.local_credentials.ufrag) + "\",\"pwd\":\"" +
                     json_escape(created.local_credentials.pwd) + "\",\"fingerprint\":\"" +
                     created.local_fingerprint.to_sdp_value() + "\",\"setup\":\"passive\",\"candidates\":[";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    json += (i ? "," : "") + std::string("{\"foundation\":\"") + c.foundation +
            "\",\"component\":" + std::to_string(c.component) +
            ",\"priority\":" + std::to_string(c.priority) + ",\"address\":\"" + c.address +
            "\",\"port\":" + std::to_string(c.port) + "}";
  }
  return json + "]}";
}

std::string field(const std::string& json, const std::string& key) {
  const std::regex re("\"" + key + "\":\\s*(\"([^\"]*)\"|([0-9]+))");
  std::smatch m;
  if (!std::regex_search(json, m, re)) return {};
  return m[2].matched ? m[2].str() : m[3].str();
}

std::vector<IceCandidate> peer_candidates(const std::string& json) {
  std::vector<IceCandidate> out;
  const std::regex re(
      "\\{\"foundation\":\\s*\"([^\"]+)\",\\s*\"component\":\\s*([0-9]+),\\s*\"priority\":\\s*([0-9]+),\\s*"
      "\"address\":\\s*\"([^\"]+)\",\\s*\"port\":\\s*([0-9]+),\\s*\"type\":\\s*\"host\"\\}");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), re); it != std::sregex_iterator(); ++it) {
    IceCandidate c;
    c.foundation = (*it)[1];
    c.component = static_cast<std::uint32_t>(std::stoul((*it)[2]));
    c.priority = static_cast<std::uint32_t>(std::stoul((*it)[3]));
    c.address = (*it)[4];
    c.port = static_cast<std::uint16_t>(std::stoul((*it)[5]));
    out.push_back(c);
  }
  return out;
}

// Mono float samples of a 16-bit PCM WAV file (channels averaged).
std::vector<float> read_wav(const std::string& path, int& rate) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> out;
  if (bytes.size() < 12 || std::string(bytes.data(), 4) != "RIFF") return out;
  int channels = 1;
  std::size_t at = 12;
  const auto u16 = [&](std::size_t p) {
    return static_cast<int>(static_cast<unsigned char>(bytes[p]) |
                            (static_cast<unsigned char>(bytes[p + 1]) << 8));
  };
  const auto u32 = [&](std::size_t p) {
    return static_cast<std::size_t>(u16(p)) | (static_cast<std::size_t>(u16(p + 2)) << 16);
  };
  while (at + 8 <= bytes.size()) {
    const std::string id(bytes.data() + at, 4);
    std::size_t size = u32(at + 4);
    if (id == "fmt ") {
      channels = u16(at + 10);
      rate = static_cast<int>(u32(at + 12));
    } else if (id == "data") {
      size = std::min(size, bytes.size() - at - 8);
      const std::size_t frames = size / 2 / static_cast<std::size_t>(channels);
      for (std::size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (int c = 0; c < channels; ++c)
          sum += static_cast<std::int16_t>(u16(at + 8 + (f * static_cast<std::size_t>(channels) + c) * 2));
        out.push_back(static_cast<float>(sum / channels / 32768.0));
      }
      break;
    }
    at += 8 + size + (size & 1);
  }
  return out;
}

class RelayInteropTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_EQ(srtp_library_initialise(), SrtpStatus::Ok);
    auto certificate = Certificate::generate();
    ASSERT_TRUE(certificate.has_value());
    MediaEngineConfig config;
    config.workers = 1;
    config.port_min = 47000;
    config.port_max = 47099;
    auto engine =
        MediaEngine::create(config, *certificate, [this](SessionEvent e) { events.push(std::move(e)); });
    ASSERT_TRUE(engine.has_value()) << engine.error();
    engine_ = std::move(*engine);
    pbx_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    auto bind = make_socket_address("127.0.0.1", 0);
    ASSERT_EQ(::bind(pbx_, bind->get(), bind->length), 0);
    SocketAddress local;
    local.length = sizeof(local.storage);
    ::getsockname(pbx_, local.get(), &local.length);
    pbx_port_ = port_of(local);
    wav_ = (std::filesystem::temp_directory_path() / ("rtcgate-relay-" + std::to_string(::getpid()) + ".wav"))
               .string();
  }
  void TearDown() override {
    engine_.reset();
    if (pbx_ >= 0) ::close(pbx_);
    std::filesystem::remove(wav_);
  }

  // Creates the session, hands our parameters to the peer, applies its offer; returns its Opus PT.
  int connect(Peer& peer) {
    MediaSessionConfig config;
    config.ice.role = IceRole::Controlled;  // the peer offers, so it controls (RFC 8445 §6.1.1)
    config.ice.bind_addresses = {"127.0.0.1"};
    config.ice.consent_timeout = consent_timeout_;
    config.dtls_role = DtlsRole::Server;  // our answer says a=setup:passive
    config.legacy.rtcp_mux = false;
    config.legacy_remote = LegacyRemote{"127.0.0.1", pbx_port_, 0};
    engine_->create_session(1, "interop-call", config);
    created_ = events.wait<SessionCreated>(5s);
    EXPECT_TRUE(created_.has_value());
    EXPECT_TRUE(events.wait<GatheringDone>(5s).has_value());
    if (!created_) return -1;
    peer.send_line(our_json(*created_, events.candidates()));
    const std::string offer = peer.read_line();
    EXPECT_FALSE(offer.empty()) << GetParam() << " did not answer";
    const int pt = std::atoi(field(offer, "opus_pt").c_str());
    RoutePlan plan;
    plan.payloads = {{static_cast<std::uint8_t>(pt), static_cast<std::uint8_t>(pt)}};
    plan.clock_rate = kRate;
    RoutePlan reverse = plan;
    reverse.ssrc = 0x5eed1234;
    engine_->set_plans(1, plan, reverse);
    auto fingerprint = Fingerprint::parse("sha-256", field(offer, "fingerprint"));
    EXPECT_TRUE(fingerprint.has_value());
    if (fingerprint) engine_->set_remote_fingerprint(1, *fingerprint);
    const auto candidates = peer_candidates(offer);
    EXPECT_FALSE(candidates.empty());
    engine_->set_remote_ice(1, IceCredentials{field(offer, "ufrag"), field(offer, "pwd")}, candidates, true);
    return pt;
  }

  Events events;
  std::unique_ptr<MediaEngine> engine_;
  std::optional<SessionCreated> created_;
  std::chrono::milliseconds consent_timeout_{30000};  // RFC 7675's default
  int pbx_ = -1;
  std::uint16_t pbx_port_ = 0;
  std::string wav_;
};

TEST_P(RelayInteropTest, OpusToneRelaysBothWays) {
  Peer peer(GetParam(), wav_, 6.0);
  const int pt = connect(peer);
  ASSERT_GT(pt, 0);
  const auto connected = events.wait<DtlsConnected>(15s);
  ASSERT_TRUE(connected.has_value()) << "DTLS did not connect";

  int error = 0;
  OpusDecoder* decoder = opus_decoder_create(kRate, 1, &error);
  OpusEncoder* encoder = opus_encoder_create(kRate, 1, OPUS_APPLICATION_AUDIO, &error);
  ASSERT_NE(decoder, nullptr);
  ASSERT_NE(encoder, nullptr);
  std::vector<float> heard;
  std::vector<std::int16_t> pcm(kFrame * 6);
  auto legacy_port = make_socket_address("127.0.0.1", created_->legacy_rtp_port);
  std::uint16_t seq = 1000;
  std::uint32_t ts = 0;
  double phase = 0;
  const auto start = Clock::now();
  auto next_send = start;
  while (Clock::now() - start < 5s) {
    // Legacy -> web: one 20 ms Opus frame of the 1000 Hz tone every 20 ms.
    if (Clock::now() >= next_send) {
      std::array<float, kFrame> tone{};
      for (int i = 0; i < kFrame; ++i)
        tone[i] =
            0.3f * static_cast<float>(std::sin(2 * std::numbers::pi * kLegacyTone * (phase + i) / kRate));
      phase += kFrame;
      std::array<unsigned char, 12 + 1500> rtp{};
      rtp[0] = 0x80;
      rtp[1] = static_cast<unsigned char>(pt);
      rtp[2] = static_cast<unsigned char>(seq >> 8);
      rtp[3] = static_cast<unsigned char>(seq);
      for (int i = 0; i < 4; ++i)
        rtp[4 + i] = static_cast<unsigned char>(ts >> (24 - 8 * i));
      rtp[8] = 0xab;
      rtp[11] = 0x01;
      const int n = opus_encode_float(encoder, tone.data(), kFrame, rtp.data() + 12, 1500);
      ASSERT_GT(n, 0);
      ::sendto(pbx_, rtp.data(), 12 + static_cast<std::size_t>(n), 0, legacy_port->get(),
               legacy_port->length);
      ++seq;
      ts += kFrame;
      next_send += 20ms;
    }
    // Web -> legacy: whatever the session relayed to us, decoded.
    std::array<std::byte, 2048> buf;
    const ssize_t got = ::recv(pbx_, buf.data(), buf.size(), MSG_DONTWAIT);
    if (got > 0) {
      auto view = RtpView::parse(std::span(buf.data(), static_cast<std::size_t>(got)));
      if (view && view->payload_type() == pt) {
        const auto payload = view->payload();
        const int samples = opus_decode(decoder, reinterpret_cast<const unsigned char*>(payload.data()),
                                        static_cast<opus_int32>(payload.size()), pcm.data(), kFrame * 6, 0);
        for (int i = 0; i < samples; ++i)
          heard.push_back(pcm[i] / 32768.0f);
      }
    } else {
      std::this_thread::sleep_for(1ms);
    }
  }
  opus_decoder_destroy(decoder);
  opus_encoder_destroy(encoder);
  // Skip the first half second (encoder start-up), then the tone must dominate.
  ASSERT_GT(heard.size(), static_cast<std::size_t>(kRate));
  expect_dominant(std::vector<float>(heard.begin() + kRate / 2, heard.end()), kWebTone, kRate);

  ASSERT_TRUE(peer.wait_exit(20s)) << GetParam() << " did not finish";
  int wav_rate = 0;
  const auto recorded = read_wav(wav_, wav_rate);
  ASSERT_GT(wav_rate, 0);
  ASSERT_GT(recorded.size(), static_cast<std::size_t>(wav_rate));
  expect_dominant(std::vector<float>(recorded.begin() + wav_rate / 2, recorded.end()), kLegacyTone, wav_rate);

  engine_->request_stats(1);
  const auto stats = events.wait<StatsSnapshot>(2s);
  ASSERT_TRUE(stats.has_value());
  EXPECT_GT(stats->stats.web_to_legacy.packets_out, 150u);
  EXPECT_GT(stats->stats.legacy_to_web.packets_out, 150u);
  EXPECT_EQ(stats->stats.web_to_legacy.drops[Drop::SrtpAuth], 0u);
  EXPECT_GT(stats->stats.web_to_legacy.rtcp_in, 0u);
  // After ICE the selected socket is ours (ICE fast path): the peer's consent checks were answered
  // by us, ours were answered by the peer, and none of its checks failed our validation.
  const StunCounters& stun = stats->stats.web_transport.stun;
  std::printf("%s: STUN checks answered %llu, rejected %llu; consent checks sent %llu, answered %llu\n",
              GetParam(), static_cast<unsigned long long>(stun.requests_answered),
              static_cast<unsigned long long>(stun.requests_rejected),
              static_cast<unsigned long long>(stun.consent_sent),
              static_cast<unsigned long long>(stun.consent_answered));
  EXPECT_GT(stun.requests_answered + stun.consent_answered, 0u);
  EXPECT_EQ(stats->stats.web_transport.drops[Drop::SourceMismatch], 0u) << "media from an unselected address";
  EXPECT_EQ(stun.requests_rejected, 0u);
  EXPECT_EQ(stun.consent_sent - stun.consent_answered <= 1, true)
      << "the peer left our consent checks unanswered";
}

TEST_P(RelayInteropTest, VanishedPeerIsReportedByConsentFreshness) {
  // RFC 7675's 30 s would outlast the test's budget; the timeout is the only thing shortened.
  consent_timeout_ = 8s;
  Peer peer(GetParam(), wav_, 30.0);
  ASSERT_GT(connect(peer), 0);
  ASSERT_TRUE(events.wait<DtlsConnected>(15s).has_value());
  const auto killed = Clock::now();
  peer.kill();
  ASSERT_TRUE(events.wait<ConsentLost>(20s).has_value()) << "no consent-lost event";
  const auto after = Clock::now() - killed;
  EXPECT_LT(after, 15s);
  EXPECT_GT(after, 6s);
}

INSTANTIATE_TEST_SUITE_P(Peers, RelayInteropTest, ::testing::Values("aiortc", "wrtc"),
                         [](const ::testing::TestParamInfo<const char*>& peer) {
                           return std::string(peer.param);
                         });

}  // namespace
}  // namespace rtcgate::media
