#!/usr/bin/env bash
# Captures live offers from the three real WebRTC peers into tests/sdp/corpus/sdp/, inside a
# loopback-only network namespace so that the only host candidate is 127.0.0.1.
# Usage: capture_all.sh   (as root; needs chromium, node with tests/peers installed, python3-aiortc)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../corpus/sdp
run() { unshare -n bash -c 'ip link set lo up && exec "$@"' _ "$@"; }
run node "$here/capture_chromium.js" > "$out/chromium_audio_offer.sdp"
run node "$here/capture_wrtc.js" > "$out/wrtc_audio_offer.sdp"
run /usr/bin/python3 "$here/capture_aiortc.py" > "$out/aiortc_audio_offer.sdp"
run node "$here/capture_chromium.js" --video > "$out/chromium_audio_video_offer.sdp"
run node "$here/capture_wrtc.js" --video > "$out/wrtc_audio_video_offer.sdp"
run /usr/bin/python3 "$here/capture_aiortc.py" --video > "$out/aiortc_audio_video_offer.sdp"
echo "captured: $(ls "$out"/{chromium,wrtc,aiortc}_audio{,_video}_offer.sdp | xargs -n1 basename | tr '\n' ' ')"
