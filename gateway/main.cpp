// rtcgate: WebRTC to SIP gateway. The command line is in cli.hpp; the process in app.hpp.
#include "rtcgate/gateway/cli.hpp"

#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  try {
    std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return rtcgate::gateway::run_cli(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "rtcgate: fatal: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "rtcgate: fatal: unknown exception\n";
  }
  return rtcgate::gateway::kExitStartupFailed;
}
