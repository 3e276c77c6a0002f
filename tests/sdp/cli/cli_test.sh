#!/usr/bin/env bash
# Runs the rtcgate-sdp tool the way an operator does and checks output and exit codes.
# Usage: cli_test.sh RTCGATE_SDP_BINARY SOURCE_DIR
set -uo pipefail
tool=$1
src=$2
data=$src/tests/sdp
chromium=$data/corpus/sdp/chromium_audio_offer.sdp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_exit CODE DESCRIPTION -- COMMAND...   (stdout to $work/out, stderr to $work/err)
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [[ $got == "$want" ]] || fail "$what: exit $got, want $want; stderr: $(head -c 300 "$work/err")"
}

# The o= session id of a bridge offer comes from the clock; everything else is deterministic.
normalise_origin() { sed -E 's/^o=([^ ]+) [0-9]+ /o=\1 SESSION-ID /'; }

# parse: normalised output, CRLF, idempotent, same result from stdin.
expect_exit 0 "parse chromium offer" -- "$tool" parse "$chromium"
cp "$work/out" "$work/parsed"
[[ $(head -n1 "$work/parsed" | od -An -c | tr -d ' \n') == 'v=0\r\n' ]] || fail "parse output does not start with v=0 CRLF"
[[ $(grep -c $'\r$' "$work/parsed") == $(wc -l <"$work/parsed") ]] || fail "parse output has a line without CRLF"
expect_exit 0 "parse its own output" -- "$tool" parse "$work/parsed"
cmp -s "$work/out" "$work/parsed" || fail "parse is not idempotent"
expect_exit 0 "parse from stdin" -- bash -c '"$1" parse - <"$2"' _ "$tool" "$chromium"
cmp -s "$work/out" "$work/parsed" || fail "parse - differs from parse FILE"
tr -d '\r' <"$chromium" >"$work/lf.sdp"
expect_exit 0 "parse LF-only input" -- "$tool" parse "$work/lf.sdp"
cmp -s "$work/out" "$work/parsed" || fail "LF-only input parses differently"

# parse errors: "line N: reason" on stderr, nothing on stdout, exit 2.
printf 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n' >"$work/bad_port.sdp"
expect_exit 2 "parse bad m= port" -- "$tool" parse "$work/bad_port.sdp"
grep -Eq '^line 5: ' "$work/err" || fail "bad m= port: stderr '$(cat "$work/err")' does not name line 5"
[[ ! -s $work/out ]] || fail "bad m= port: something was printed on stdout"
printf 'v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nm=audio 4000 RTP/AVP 0\n' >"$work/order.sdp"
expect_exit 2 "parse m= before t=" -- bash -c '"$1" parse - <"$2"' _ "$tool" "$work/order.sdp"
grep -Eq '^line 4: ' "$work/err" || fail "m= before t=: stderr '$(cat "$work/err")' does not name line 4"
expect_exit 2 "parse an empty input" -- "$tool" parse /dev/null
grep -Eq '^line [0-9]+: ' "$work/err" || fail "empty input: stderr '$(cat "$work/err")'"
expect_exit 2 "to-legacy of a broken offer" -- "$tool" to-legacy "$work/bad_port.sdp" --address 192.0.2.10 --port 4000
grep -Eq '^line 5: ' "$work/err" || fail "to-legacy of a broken offer: stderr '$(cat "$work/err")'"

# to-legacy: the golden conversion of the captured Chromium offer.
expect_exit 0 "to-legacy chromium offer" -- "$tool" to-legacy "$chromium" --address 192.0.2.10 --port 4000
normalise_origin <"$work/out" >"$work/legacy"
cmp -s "$work/legacy" "$data/cli/chromium_to_legacy.expected.sdp" ||
  fail "to-legacy output differs: $(diff "$data/cli/chromium_to_legacy.expected.sdp" "$work/legacy" | head -20)"
expect_exit 0 "to-legacy from stdin with codecs" -- bash -c \
  '"$1" to-legacy - --codecs PCMA,G722 --address 2001:db8::10 --port 30000 <"$2"' _ "$tool" "$chromium"
normalise_origin <"$work/out" >"$work/legacy"
cmp -s "$work/legacy" "$data/cli/chromium_to_legacy_ipv6_pcma_g722.expected.sdp" ||
  fail "to-legacy --codecs output differs: $(diff "$data/cli/chromium_to_legacy_ipv6_pcma_g722.expected.sdp" "$work/legacy" | head -20)"
printf 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n' >"$work/video.sdp"
expect_exit 1 "to-legacy of an offer without audio" -- "$tool" to-legacy "$work/video.sdp" --address 192.0.2.10 --port 4000

# usage and input errors.
expect_exit 64 "no arguments" -- "$tool"
expect_exit 64 "unknown command" -- "$tool" frobnicate "$chromium"
expect_exit 64 "to-legacy without --port" -- "$tool" to-legacy "$chromium" --address 192.0.2.10
expect_exit 64 "to-legacy with port 0" -- "$tool" to-legacy "$chromium" --address 192.0.2.10 --port 0
expect_exit 64 "to-legacy with a bad address" -- "$tool" to-legacy "$chromium" --address '192.0.2.10 x' --port 4000
expect_exit 64 "to-legacy with an unknown codec" -- "$tool" to-legacy "$chromium" --address 192.0.2.10 --port 4000 --codecs PCMU,AMR
expect_exit 66 "parse a missing file" -- "$tool" parse "$work/does-not-exist.sdp"

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all rtcgate-sdp checks passed"
