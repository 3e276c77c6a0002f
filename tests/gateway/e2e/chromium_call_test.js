// Headless Chromium (playwright-core) as the browser: JsSIP from rtcgate's own /jssip.js bundle
// calls `echo` on the built-in test endpoint through rtcgate; the fake microphone plays a 440 Hz
// WAV, and the page measures what comes back with WebAudio (AnalyserNode, dominant frequency) and
// counts RTP both ways with getStats().
// Usage: node --experimental-websocket chromium_call_test.js RTCGATE_BINARY [CHROMIUM_BINARY]
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const h = require('./harness');
const { chromium } = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', 'playwright-core'));

const [binary, chromiumBinary] = process.argv.slice(2);
const kTone = 440;

function sineWav(file, freq, seconds) {
  const rate = 48000;
  const n = rate * seconds;
  const out = Buffer.alloc(44 + n * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + n * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; ++i) out.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * freq * i / rate)), 44 + 2 * i);
  fs.writeFileSync(file, out);
}

// Runs in the page: register nothing, call echo, measure.
async function callEcho({ wsPort, seconds }) {
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${wsPort}`);
  const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:carol@127.0.0.1', register: false });
  await new Promise((resolve) => { ua.on('connected', resolve); ua.start(); });
  const session = ua.call(`sip:echo@127.0.0.1:${wsPort}`, { mediaConstraints: { audio: true, video: false } });
  await new Promise((resolve, reject) => {
    session.on('confirmed', resolve);
    session.on('failed', (e) => reject(new Error(`call failed: ${e.cause}`)));
  });
  const pc = session.connection;
  const receiver = pc.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  const audio = new Audio();
  audio.srcObject = new MediaStream([receiver.track]);
  audio.muted = false;
  await audio.play().catch(() => {});
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  ctx.createMediaStreamSource(new MediaStream([receiver.track])).connect(analyser);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const bins = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(bins);
  let best = 0;
  for (let i = 1; i < bins.length; ++i) if (bins[i] > bins[best]) best = i;
  const peakHz = best * ctx.sampleRate / analyser.fftSize;
  let sent = 0, received = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent || 0;
    if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.packetsReceived || 0;
  });
  session.terminate();
  await new Promise((resolve) => setTimeout(resolve, 500));
  ua.stop();
  return { peakHz, peakDb: bins[best], sent, received };
}

async function main() {
  const dir = h.tempDir('chromium');
  const p = await h.ports();
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000), [], true);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  const wav = path.join(dir, 'tone.wav');
  sineWav(wav, kTone, 10);
  const browser = await chromium.launch({
    executablePath: chromiumBinary || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required',
           '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${p.http}/`);
    await page.addScriptTag({ url: `http://127.0.0.1:${p.http}/jssip.js` });
    const result = await page.evaluate(callEcho, { wsPort: p.ws, seconds: 4 });
    console.log(`chromium: ${JSON.stringify(result)}`);
    assert(result.sent > 100 && result.received > 100, 'RTP both ways at the browser');
    assert(Math.abs(result.peakHz - kTone) < 30, `the echo's dominant frequency is ${kTone} Hz (${result.peakHz})`);
  } finally {
    await browser.close();
  }
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  console.log('chromium call: ok');
  process.exit(0);
}

setTimeout(() => {
  console.error('chromium call: deadline exceeded');
  process.exit(1);
}, 55000).unref();
main().catch((e) => {
  console.error(`chromium call: FAILED: ${e.stack || e}`);
  process.exit(1);
});
