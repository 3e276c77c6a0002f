// Captures a real WebRTC audio offer from libwebrtc as shipped by @roamhq/wrtc, with a track from
// nonstandard.RTCAudioSource (with --video also one from RTCVideoSource), after ICE gathering
// completes, and prints it to stdout.
// Usage: node capture_wrtc.js [--video]
'use strict';
const path = require('path');
const wrtc = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', '@roamhq', 'wrtc'));

async function main() {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const tracks = [track];
  if (process.argv.includes('--video')) tracks.push(new wrtc.nonstandard.RTCVideoSource().createTrack());
  const stream = new wrtc.MediaStream(tracks);
  const pc = new wrtc.RTCPeerConnection();
  for (const t of tracks) pc.addTrack(t, stream);
  const done = new Promise((resolve) => {
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') resolve();
    };
    setTimeout(resolve, 5000);
  });
  await pc.setLocalDescription(await pc.createOffer());
  await done;
  const sdp = pc.localDescription.sdp;
  for (const t of tracks) t.stop();
  // Exit straight after the write: the native module can crash while tearing a connection down.
  process.stdout.write(sdp, () => process.exit(0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
