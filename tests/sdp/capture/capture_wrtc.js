// Captures a real WebRTC audio offer from libwebrtc as shipped by @roamhq/wrtc, with a track from
// nonstandard.RTCAudioSource, after ICE gathering completes, and prints it to stdout.
// Usage: node capture_wrtc.js
'use strict';
const path = require('path');
const wrtc = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', '@roamhq', 'wrtc'));

async function main() {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const stream = new wrtc.MediaStream([track]);
  const pc = new wrtc.RTCPeerConnection();
  pc.addTrack(track, stream);
  const done = new Promise((resolve) => {
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') resolve();
    };
    setTimeout(resolve, 5000);
  });
  await pc.setLocalDescription(await pc.createOffer());
  await done;
  const sdp = pc.localDescription.sdp;
  track.stop();
  // Exit straight after the write: the native module can crash while tearing a connection down.
  process.stdout.write(sdp, () => process.exit(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
