#!/usr/bin/env bash
# One SIPp interop case against sip_test_ua (the TestUa on rtcgate's SIP stack), on 127.0.0.1.
#   run_case.sh SIP_TEST_UA CASE udp|tcp [FAULT]
# FAULT (see sip_test_ua --fault) makes the UA misbehave on purpose; the case must then fail.
# Runs inside its own loopback-only network namespace when `unshare -n` works (CI runs as root),
# so fixed ports cannot clash; otherwise on 127.0.0.1 with ports picked from the ephemeral range.
# Every process is bounded: SIPp by -timeout, the UA by --timeout, both by timeout(1).
# Passes when SIPp exits 0 (its scenario ran to the end) and the UA exits 0 (its call succeeded
# and its counters match the case's expectations).
set -euo pipefail

ua=$1
case_name=$2
transport=$3
fault=${4:-none}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "${RTCGATE_NETNS:-}" ] && command -v unshare > /dev/null && command -v ip > /dev/null &&
  unshare -n true 2> /dev/null; then
  # shellcheck disable=SC2016 # expanded by the inner shell
  exec unshare -n env RTCGATE_NETNS=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi

command -v sipp > /dev/null || {
  echo "sipp (Debian package sip-tester) is required"
  exit 1
}

# /proc/net/{udp,tcp} list local ports in hex; state 0A is LISTEN for TCP.
port_in_use() {
  local hex
  hex=$(printf ':%04X ' "$1")
  grep -q "$hex" /proc/net/udp /proc/net/tcp 2> /dev/null
}
if [ -n "${RTCGATE_NETNS:-}" ]; then
  ua_port=5060
  sipp_port=5070
else
  while :; do
    ua_port=$((20000 + RANDOM % 30000))
    sipp_port=$((ua_port + 1))
    port_in_use "$ua_port" || port_in_use "$sipp_port" || break
  done
fi

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

case $transport in
  udp) sipp_transport=u1 ;;
  tcp) sipp_transport=t1 ;;
  *)
    echo "unknown transport $transport"
    exit 2
    ;;
esac

# Per case: SIPp's role and scenario, the service (Request-URI user, which picks the UA's
# behaviour), extra SIPp options, and what the UA must have counted.
sipp_extra=()
ua_extra=()
calls=1
case $case_name in
  sipp_uac_invite_bye)
    role=uac scenario=uac_invite_bye.xml service=answer
    ua_extra=(--expect answered=1 --expect acks_received=1 --expect byes_answered=1 --expect failures=0)
    ;;
  sipp_uac_cancel)
    role=uac scenario=uac_cancel.xml service=ring
    ua_extra=(--expect ringing_sent=1 --expect cancels_answered=1 --expect answered=0 --expect failures=0)
    ;;
  sipp_uac_auth)
    role=uac scenario=uac_auth_invite.xml service=auth
    # SIPp's digest uri defaults to sip:host:port; the UA checks it against the Request-URI.
    sipp_extra=(-au alice -ap wonderland -auth_uri "auth@127.0.0.1:$ua_port")
    ua_extra=(--expect challenges_sent=1 --expect authenticated=1 --expect answered=1 --expect byes_answered=1
      --expect failures=0)
    ;;
  sipp_uac_ack_late)
    # SIPp holds the ACK for 1.8 s: the UA resends its 200 at 0.5 s and 1.5 s (RFC 3261 §13.3.1.4).
    role=uac scenario=uac_ack_late.xml service=answer
    ua_extra=(--expect ok_retransmissions=2 --expect acks_received=1 --expect byes_answered=1 --expect failures=0)
    ;;
  sipp_uac_lossy)
    # SIPp drops 20% of what it sends and receives, at random: both sides' retransmissions must
    # still get three calls through.
    role=uac scenario=uac_invite_bye.xml service=answer calls=3
    sipp_extra=(-lost 20)
    ua_extra=(--expect answered=3 --expect byes_answered=3)
    ;;
  sipp_uas_invite_bye)
    role=uas scenario=uas_invite_bye.xml mode=bye
    ua_extra=(--expect failures=0)
    ;;
  sipp_uas_cancel)
    role=uas scenario=uas_cancel.xml mode=cancel
    ua_extra=(--expect failures=0 --expect acks_sent=0)
    ;;
  sipp_uas_auth)
    role=uas scenario=uas_auth.xml mode=bye
    ua_extra=(--expect challenges_answered=1 --expect failures=0)
    ;;
  sipp_uas_slow)
    # SIPp answers the INVITE and the BYE 1.2 s late: timers A and E resend each once.
    role=uas scenario=uas_slow.xml mode=bye
    ua_extra=(--expect request_retransmissions=2 --expect failures=0)
    ;;
  *)
    echo "unknown case $case_name"
    exit 2
    ;;
esac

# SIPp writes its traces beside the scenario file: run a copy in the work directory.
cp "$here/$scenario" "$work/$scenario"
sipp_common=(-sf "$work/$scenario" -i 127.0.0.1 -p "$sipp_port" -t "$sipp_transport" -m "$calls"
  -timeout 30s -timeout_error -nostdin -trace_err -trace_screen -trace_msg)

show_logs() {
  local f
  echo "--- sip_test_ua"
  cat "$work/ua.log" 2> /dev/null || true
  for f in "$work"/*_messages.log "$work"/*_errors.log "$work"/*_screen.log; do
    [ -f "$f" ] || continue
    echo "--- $(basename "$f")"
    tail -c 12000 "$f"
  done
}

cd "$work"
if [ "$role" = uac ]; then
  # SIPp calls the UA. The UA stays until SIPp is done (it must answer retransmitted BYEs whose
  # 200 SIPp lost, §17.2.2), then is told to stop: it still fails if its calls did not all end.
  # --foreground: timeout passes the SIGTERM to the UA once, not again to its process group.
  timeout --foreground 45 "$ua" --listen "udp:127.0.0.1:$ua_port" --listen "tcp:127.0.0.1:$ua_port" --calls "$calls" \
    --fault "$fault" --timeout 40 --linger-ms 40000 --ready-file "$work/ready" "${ua_extra[@]}" > "$work/ua.log" 2>&1 &
  ua_pid=$!
  pids+=("$ua_pid")
  for _ in $(seq 200); do [ -s "$work/ready" ] && break; sleep 0.05; done
  set +e
  timeout 45 sipp "127.0.0.1:$ua_port" -s "$service" "${sipp_common[@]}" "${sipp_extra[@]}" > "$work/sipp.out" 2>&1
  sipp_rc=$?
  kill -TERM "$ua_pid" 2> /dev/null
  wait "$ua_pid"
  ua_rc=$?
  set -e
else
  # The UA calls SIPp.
  timeout 45 sipp "${sipp_common[@]}" "${sipp_extra[@]}" > "$work/sipp.out" 2>&1 &
  sipp_pid=$!
  pids+=("$sipp_pid")
  for _ in $(seq 200); do port_in_use "$sipp_port" && break; sleep 0.05; done
  target="sip:service@127.0.0.1:$sipp_port"
  [ "$transport" = tcp ] && target="$target;transport=tcp"
  set +e
  timeout 45 "$ua" --listen "udp:127.0.0.1:$ua_port" --listen "tcp:127.0.0.1:$ua_port" --call "$target" \
    --mode "$mode" --fault "$fault" --timeout 40 --linger-ms 1000 "${ua_extra[@]}" > "$work/ua.log" 2>&1
  ua_rc=$?
  wait "$sipp_pid"
  sipp_rc=$?
  set -e
fi

echo "case $case_name over $transport: sipp exit $sipp_rc, sip_test_ua exit $ua_rc"
cat "$work/ua.log"
if [ "$sipp_rc" -ne 0 ] || [ "$ua_rc" -ne 0 ]; then
  show_logs
  exit 1
fi
