// RFC 4733 DTMF through rtcgate with headless Chromium (playwright-core) as the browser: JsSIP
// from rtcgate's /jssip.js calls a SIPp PBX whose media port is this test's UDP socket.
//   browser → PBX: RTCDTMFSender.insertDTMF('5') in the page; the socket must see telephone-event
//                  with the legacy payload type 101, event 5, an end packet, and durations in
//                  8000 Hz units (a 200 ms tone lasts about 1600, not 9600 as at 48000 Hz)
//   PBX → browser: the socket sends only telephone-event packets (PT 101, event 7) to rtcgate's
//                  legacy port; the browser counts them as received RTP, which libwebrtc does only
//                  for a payload type of its description: rtcgate translated the payload type
// Usage: node --experimental-websocket chromium_dtmf_test.js RTCGATE_BINARY [CHROMIUM_BINARY]
'use strict';
const assert = require('assert');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');
const h = require('./harness');
const { chromium } = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', 'playwright-core'));

const [binary, chromiumBinary] = process.argv.slice(2);
let dir = null;

async function startCall({ wsPort }) {
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${wsPort}`);
  const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:dave@127.0.0.1', register: false });
  await new Promise((resolve) => { ua.on('connected', resolve); ua.start(); });
  const session = ua.call(`sip:dtmf@127.0.0.1:${wsPort}`, { mediaConstraints: { audio: true, video: false } });
  await new Promise((resolve, reject) => {
    session.on('confirmed', resolve);
    session.on('failed', (e) => reject(new Error(`call failed: ${e.cause}`)));
  });
  window.call = { ua, session };
  const sender = session.connection.getSenders().find((s) => s.track && s.track.kind === 'audio');
  return { dtmf: Boolean(sender && sender.dtmf), remote: session.connection.remoteDescription.sdp };
}

async function insertDtmf() {
  const sender = window.call.session.connection.getSenders().find((s) => s.track && s.track.kind === 'audio');
  sender.dtmf.insertDTMF('5', 200, 100);
}

async function received() {
  let count = 0;
  (await window.call.session.connection.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') count += s.packetsReceived || 0;
  });
  return count;
}

async function hangUp() {
  window.call.session.terminate();
  await new Promise((resolve) => setTimeout(resolve, 500));
  window.call.ua.stop();
}

function event(pt, seq, ts, ssrc, code, end, duration, marker) {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  b[12] = code;
  b[13] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration, 14);
  return b;
}

async function main() {
  dir = h.tempDir('dtmf');
  const p = await h.ports();
  const rtp = dgram.createSocket('udp4');
  await new Promise((resolve) => rtp.bind(0, '127.0.0.1', resolve));
  const events = [];
  let audio = 0;
  let gateway = null;
  rtp.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const pt = msg[1] & 0x7f;
    gateway = rinfo;
    if (pt === 101 && msg.length >= 16) events.push({ code: msg[12], end: (msg[13] & 0x80) !== 0, duration: msg.readUInt16BE(14) });
    else ++audio;
  });
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000), [], false);
  const sippDone = h.startSipp(path.join(__dirname, 'scenarios', 'uas_rtp_to_test.xml'), p, await h.freePort('udp'), dir,
                               ['-key', 'rtp_port', String(rtp.address().port)]);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  const browser = await chromium.launch({
    executablePath: chromiumBinary || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection',
           '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${p.http}/`);
    await page.addScriptTag({ url: `http://127.0.0.1:${p.http}/jssip.js` });
    const call = await page.evaluate(startCall, { wsPort: p.ws });
    assert(call.dtmf, 'the browser has an RTCDTMFSender');
    const webPt = (/a=rtpmap:(\d+) telephone-event\/(\d+)/.exec(call.remote) || []).slice(1);
    console.log(`web leg telephone-event: PT ${webPt[0]} at ${webPt[1]} Hz`);
    await h.waitFor('the browser\'s audio at the PBX', async () => audio > 20, 10000);

    await page.evaluate(insertDtmf);
    await h.waitFor('the end of the DTMF event at the PBX', async () => events.some((e) => e.end), 5000);
    const fives = events.filter((e) => e.code === 5);
    const last = Math.max(...fives.map((e) => e.duration));
    console.log(`PBX got ${events.length} telephone-event packets (PT 101), event 5 lasting ${last} units`);
    assert(fives.length > 3, 'event 5 arrived with the legacy payload type 101');
    assert(last >= 1200 && last <= 3200, `the duration is in 8000 Hz units (${last})`);

    const before = await page.evaluate(received);
    const ssrc = 0x1234abcd;
    let sent = 0;
    for (let i = 0; i < 60; ++i) {
      const end = i >= 57;
      rtp.send(event(101, 1000 + i, 80000, ssrc, 7, end, Math.min(160 * (i + 1), 160 * 57), i === 0), gateway.port, gateway.address);
      ++sent;
      await h.sleep(20);
    }
    await h.sleep(500);
    const after = await page.evaluate(received);
    console.log(`PBX sent ${sent} telephone-event packets; the browser received ${after - before} RTP packets`);
    assert(after - before >= sent * 0.8, 'the PBX\'s telephone-event reached the browser with a payload type it knows');
    await page.evaluate(hangUp);
  } finally {
    await browser.close();
  }
  assert.strictEqual(await Promise.race([sippDone, h.sleep(10000).then(() => 'timeout')]), 0, 'SIPp scenario passed');
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  rtp.close();
  console.log('chromium dtmf: ok');
  process.exit(0);
}

setTimeout(() => {
  console.error('chromium dtmf: deadline exceeded');
  process.exit(1);
}, 55000).unref();
main().catch((e) => {
  console.error(`chromium dtmf: FAILED: ${e.stack || e}`);
  try {
    const lines = fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8').trim().split('\n');
    console.error(lines.slice(-25).join('\n'));
  } catch (err) {
    // no log
  }
  process.exit(1);
});
