#!/usr/bin/env bash
# JsSIP over WebSocket against sip_ws_test_server (TransportManager), on 127.0.0.1 (RFC 7118).
#   run.sh SIP_WS_TEST_SERVER PEERS_DIR [ws|wss]
# JsSIP registers with digest, then the server reaches it with an OPTIONS over the same WebSocket
# through the registration's flow token. Runs inside a loopback-only network namespace when
# `unshare -n` works (CI runs as root). Both processes are bounded by their own timers and by
# timeout(1). Passes when both exit 0. With wss the server makes a self-signed certificate, which
# the client accepts through NODE_TLS_REJECT_UNAUTHORIZED=0.
set -euo pipefail

server=$1
peers=$2
scheme=${3:-ws}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "${RTCGATE_NETNS:-}" ] && command -v unshare > /dev/null && command -v ip > /dev/null &&
  unshare -n true 2> /dev/null; then
  exec unshare -n env RTCGATE_NETNS=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi

command -v node > /dev/null || {
  echo "node is required (scripts/dev setup installs it)"
  exit 1
}
[ -d "$peers/node_modules/jssip" ] || {
  echo "JsSIP is missing: run npm ci in tests/peers (scripts/dev setup does)"
  exit 1
}

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

wss=0
tls_env=()
if [ "$scheme" = wss ]; then
  wss=1
  tls_env=(NODE_TLS_REJECT_UNAUTHORIZED=0)
fi
timeout 30 "$server" --port-file "$work/port" --timeout 25 --wss "$wss" &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/port" ] && break
  sleep 0.1
done
[ -s "$work/port" ] || {
  echo "the server did not start"
  exit 1
}
port=$(cat "$work/port")

client_status=0
env "${tls_env[@]}" NODE_PATH="$peers/node_modules" timeout 20 node --experimental-websocket --no-warnings \
  "$here/jssip_client.js" "$scheme://127.0.0.1:$port" || client_status=$?
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
echo "client exit $client_status, server exit $server_status"
[ "$client_status" -eq 0 ] && [ "$server_status" -eq 0 ]
