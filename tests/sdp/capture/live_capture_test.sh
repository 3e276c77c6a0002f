#!/usr/bin/env bash
# Captures fresh offers from the three real WebRTC peers (headless Chromium, @roamhq/wrtc,
# aiortc) in a loopback-only network namespace and checks that rtcgate-sdp parses each one,
# writes it back unchanged, and bridges it to a legacy offer. This keeps the committed corpus
# honest as the peers change version.
# Usage: live_capture_test.sh RTCGATE_SDP_BINARY   (root; exit 77 = peers not installed, skipped)
set -uo pipefail
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for need in node /usr/bin/python3 /usr/bin/chromium unshare; do
  command -v "$need" > /dev/null || { echo "skipped: $need not installed"; exit 77; }
done
[[ -d $here/../../peers/node_modules/playwright-core ]] || { echo "skipped: tests/peers not installed"; exit 77; }
/usr/bin/python3 -c 'import aiortc' 2> /dev/null || { echo "skipped: python3-aiortc not installed"; exit 77; }

in_netns() { unshare -n bash -c 'ip link set lo up && exec "$@"' _ "$@"; }
failures=0
check_offer() {
  local name=$1 file=$work/$1.sdp
  if [[ ! -s $file ]]; then
    echo "FAIL: $name: no offer captured"; failures=$((failures + 1)); return
  fi
  if ! "$tool" parse "$file" > "$work/$name.parsed" 2> "$work/$name.err"; then
    echo "FAIL: $name: $(cat "$work/$name.err")"; failures=$((failures + 1)); return
  fi
  cmp -s "$file" "$work/$name.parsed" || { echo "FAIL: $name: not written back unchanged"; failures=$((failures + 1)); }
  grep -q '^a=candidate:.* 127\.0\.0\.1 ' "$file" || { echo "FAIL: $name: no loopback candidate"; failures=$((failures + 1)); }
  if ! "$tool" to-legacy "$file" --address 192.0.2.10 --port 4000 > "$work/$name.legacy" 2> "$work/$name.err"; then
    echo "FAIL: $name: to-legacy: $(cat "$work/$name.err")"; failures=$((failures + 1)); return
  fi
  grep -q $'^m=audio 4000 RTP/AVP 0 8 101\r$' "$work/$name.legacy" || { echo "FAIL: $name: unexpected legacy m= line"; failures=$((failures + 1)); }
  echo "ok: $name ($(grep -c . "$file") lines)"
}

in_netns timeout 60 node "$here/capture_chromium.js" --video > "$work/chromium.sdp" 2> "$work/chromium.log"
check_offer chromium
in_netns timeout 60 node "$here/capture_wrtc.js" > "$work/wrtc.sdp" 2> "$work/wrtc.log"
check_offer wrtc
in_netns timeout 60 /usr/bin/python3 "$here/capture_aiortc.py" --video > "$work/aiortc.sdp" 2> "$work/aiortc.log"
check_offer aiortc
exit $((failures > 0))
