#!/bin/sh
# Runs a command in its own loopback-only network namespace (PEERS.md) when this user may create
# one, so that the gateway's fixed ports cannot clash with anything else; otherwise runs it as is
# and tells it so through RTCGATE_ISOLATED=0.
if unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && RTCGATE_ISOLATED=1 exec "$@"' isolated "$@"
fi
RTCGATE_ISOLATED=0 exec "$@"
