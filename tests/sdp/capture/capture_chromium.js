// Captures a real WebRTC audio offer from headless Chromium (playwright-core, the fake audio
// device; with --video also the fake camera) after ICE gathering completes, and prints it to stdout.
// Usage: node capture_chromium.js [--video] [CHROMIUM_BINARY]
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', 'playwright-core'));

async function main() {
  const args = process.argv.slice(2);
  const video = args.includes('--video');
  const binary = args.find((a) => !a.startsWith('--'));
  const browser = await chromium.launch({
    executablePath: binary || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
  try {
    const page = await browser.newPage();
    // getUserMedia needs a secure context: serve an empty page for an https origin from memory.
    await page.route('https://capture.invalid/', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>capture</title>' }));
    await page.goto('https://capture.invalid/');
    const sdp = await page.evaluate(async (withVideo) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: withVideo });
      const pc = new RTCPeerConnection();
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      const done = new Promise((resolve) => {
        pc.onicegatheringstatechange = () => {
          if (pc.iceGatheringState === 'complete') resolve();
        };
        setTimeout(resolve, 5000);
      });
      await pc.setLocalDescription(await pc.createOffer());
      await done;
      return pc.localDescription.sdp;
    }, video);
    process.stdout.write(sdp);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
