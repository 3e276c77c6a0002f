#!/usr/bin/env bash
# Proves check_layering.sh can fail: a clean tree passes, and each kind of violation is caught.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/sdp/src "$tmp"/sip/core/src "$tmp"/sip/asio/src "$tmp"/media/src

printf '#include <vector>\n#include <rtcgate/sdp/parse.hpp>\n#include "local.hpp"\n' > "$tmp"/sdp/src/a.cpp
printf '#include <string_view>\n#include <rtcgate/sip/message.hpp>\n' > "$tmp"/sip/core/src/a.cpp
printf '#include <boost/asio.hpp>\n#include <rtcgate/sip/message.hpp>\n' > "$tmp"/sip/asio/src/a.cpp
printf '#include <nice/agent.h>\n#include <rtcgate/media/packet/packet_buffer.hpp>\n' > "$tmp"/media/src/a.cpp
bash "$here"/check_layering.sh "$tmp" > /dev/null || { echo "FAIL: clean tree rejected"; exit 1; }

expect_fail() {
  local file=$1 line=$2
  cp "$tmp/$file" "$tmp/$file.bak"
  printf '%s\n' "$line" >> "$tmp/$file"
  if bash "$here"/check_layering.sh "$tmp" > /dev/null; then
    echo "FAIL: not caught: $file: $line"
    exit 1
  fi
  mv "$tmp/$file.bak" "$tmp/$file"
}
expect_fail sdp/src/a.cpp '#include <rtcgate/sip/message.hpp>'
expect_fail sdp/src/a.cpp '#include <boost/asio.hpp>'
expect_fail sdp/src/a.cpp '#include "rtcgate/media/x.hpp"'
expect_fail sip/core/src/a.cpp '#include <openssl/ssl.h>'
expect_fail sip/core/src/a.cpp '#include <rtcgate/sip/asio/udp.hpp>'
expect_fail sip/core/src/a.cpp '#include <rtcgate/sdp/parse.hpp>'
expect_fail sip/asio/src/a.cpp '#include <rtcgate/sdp/parse.hpp>'
expect_fail media/src/a.cpp '#include <rtcgate/sip/message.hpp>'
expect_fail media/src/a.cpp '#include "rtcgate/sdp/parse.hpp"'
echo "layering self test: ok"
