// RFC 4733 DTMF through rtcgate with headless Chromium (playwright-core) as the browser: JsSIP
// from rtcgate's /jssip.js calls a SIPp PBX (PCMU and telephone-event 101 at 8000 Hz only) whose
// media port is this test's UDP socket. The socket plays the PBX's stream: PCMU silence, with its
// own events in place of audio while a digit lasts.
// Variants (third argument):
//   passthrough  the browser offers what it has; PCMU passes through, telephone-event 8000 on both legs
//   transcoded   the page cuts the browser's offer down to Opus and telephone-event/48000, so rtcgate
//                transcodes Opus <-> PCMU and rescales each event (timestamp, duration) 48000 <-> 8000
// Both directions:
//   browser → PBX: RTCDTMFSender.insertDTMF('5', 200) in the page; the socket must see PCMU audio
//                  and only the PBX's telephone-event payload type 101: event 5 with a marker on
//                  its first packet, one timestamp for all its packets, durations in 8000 Hz units
//                  (200 ms is 1600, not 9600 as at 48000 Hz) that end with the end bit, and the
//                  PCMU clock around it in the same units
//   PBX → browser: the socket sends event 7 lasting 2.5 s (20000 units at 8000 Hz); the browser
//                  counts them as received RTP, which libwebrtc does only for a payload type of its
//                  description, and plays the digit as a tone (NetEq): the page hears 852 + 1209 Hz
//                  for about 2.5 s, which it does only when the event's timestamp and durations are
//                  in the browser's clock (transcoded: 48000, where 2.5 s takes two RFC 4733
//                  segments; unscaled durations would end the tone after about 0.1 s, a duration
//                  stuck at 0xFFFF after 1.37 s)
// Usage: node --experimental-websocket chromium_dtmf_test.js RTCGATE_BINARY CHROMIUM_BINARY [VARIANT]
'use strict';
const assert = require('assert');
const dgram = require('dgram');
const path = require('path');
const h = require('./harness');
const { chromium } = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', 'playwright-core'));

const [binary, chromiumBinary, variant = 'passthrough'] = process.argv.slice(2);
const variants = {
  passthrough: { webRate: 8000, codecs: null, offer: null },
  transcoded: {
    webRate: 48000,
    // The policy would pass PCMU through: only the browser's Opus-only offer makes the call transcoded.
    codecs: ['web = ["opus", "PCMU", "PCMA", "telephone-event"]', 'legacy = ["PCMU", "PCMA", "telephone-event"]',
             'transcode = true', 'opus_complexity = 1'],
    offer: h.opusOnly.toString(),
  },
};
const kPbxEventPt = 101;       // uas_rtp_to_test.xml
const kDigitMs = 200;          // the browser's digit
const kPbxDigitUnits = 20000;  // the PBX's digit: 2.5 s at 8000 Hz, an update every 20 ms
let dir = null;

// Runs in the page. `offer`: the source of a function that rewrites the browser's offer, or null.
async function startCall({ wsPort, offer }) {
  const rewrite = offer ? new Function(`return (${offer});`)() : null;
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${wsPort}`);
  const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:dave@127.0.0.1', register: false });
  await new Promise((resolve) => { ua.on('connected', resolve); ua.start(); });
  const session = ua.call(`sip:dtmf@127.0.0.1:${wsPort}`, { mediaConstraints: { audio: true, video: false } });
  let offered = null;
  session.on('sdp', (e) => {
    if (e.originator !== 'local' || e.type !== 'offer') return;
    if (rewrite) e.sdp = rewrite(e.sdp);
    offered = e.sdp;
  });
  await new Promise((resolve, reject) => {
    session.on('confirmed', resolve);
    session.on('failed', (e) => reject(new Error(`call failed: ${e.cause}`)));
  });
  const pc = session.connection;
  // The ear: what the browser plays from rtcgate, in blocks of the audio clock (not timers, which a
  // busy machine delays); a block "has the digit" when 852 and 1209 Hz (DTMF 7) carry most of it.
  const receiver = pc.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  const element = new Audio();
  element.srcObject = new MediaStream([receiver.track]);
  await element.play().catch(() => {});
  const ctx = new AudioContext();
  await ctx.resume().catch(() => {});
  const block = 1024;
  const processor = ctx.createScriptProcessor(block, 1, 1);
  const mute = ctx.createGain();
  mute.gain.value = 0;
  ctx.createMediaStreamSource(new MediaStream([receiver.track])).connect(processor);
  processor.connect(mute);
  mute.connect(ctx.destination);
  const share = (x, total, freq) => {
    const k = 2 * Math.cos(2 * Math.PI * freq / ctx.sampleRate);
    let s1 = 0, s2 = 0;
    for (let i = 0; i < x.length; ++i) {
      const s0 = x[i] + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (2 * (s1 * s1 + s2 * s2 - k * s1 * s2) / x.length) / total;
  };
  const ear = { blocks: 0, digit: [] };
  ear.reset = () => { ear.blocks = 0; ear.digit = []; };
  processor.onaudioprocess = (e) => {
    const x = e.inputBuffer.getChannelData(0);
    let total = 0;
    for (let i = 0; i < x.length; ++i) total += x[i] * x[i];
    const loud = Math.sqrt(total / x.length) > 0.003;
    if (loud && share(x, total, 852) > 0.2 && share(x, total, 1209) > 0.2) ear.digit.push(ear.blocks);
    ++ear.blocks;
  };
  ear.result = () => {
    const ms = (n) => Math.round(n * block * 1000 / ctx.sampleRate);
    const d = ear.digit;
    return { heardMs: ms(d.length), spanMs: d.length ? ms(d[d.length - 1] - d[0] + 1) : 0, blocks: ear.blocks,
             rate: ctx.sampleRate };
  };
  window.call = { ua, session, ear, keep: [element, ctx, processor] };
  const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'audio');
  return { dtmf: Boolean(sender && sender.dtmf), offered, remote: pc.remoteDescription.sdp };
}

async function insertDtmf(ms) {
  const sender = window.call.session.connection.getSenders().find((s) => s.track && s.track.kind === 'audio');
  sender.dtmf.insertDTMF('5', ms, 100);
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

function header(pt, seq, ts, ssrc, marker, payloadBytes) {
  const b = Buffer.alloc(12 + payloadBytes);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

function event(seq, ts, ssrc, code, end, duration, marker) {
  const b = header(kPbxEventPt, seq, ts, ssrc, marker, 4);
  b[12] = code;
  b[13] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration, 14);
  return b;
}

// What rtcgate sends the PBX: PCMU (its timestamps, in order), the PBX's telephone-events, and any
// other payload type (which must not be there). `at`: how many events had arrived before a PCMU packet.
function pbxReceiver(socket) {
  const got = { audio: [], sizes: new Set(), events: [], others: new Set(), from: null };
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12 || (msg[0] & 0xc0) !== 0x80) return;
    const pt = msg[1] & 0x7f;
    if (pt >= 72 && pt <= 76) return;  // RTCP
    got.from = rinfo;
    const ts = msg.readUInt32BE(4);
    if (pt === 0) {
      got.audio.push({ ts, at: got.events.length });
      got.sizes.add(msg.length - 12);
    } else if (pt === kPbxEventPt && msg.length >= 16) {
      got.events.push({ ts, marker: (msg[1] & 0x80) !== 0, code: msg[12], end: (msg[13] & 0x80) !== 0,
                        duration: msg.readUInt16BE(14) });
    } else {
      got.others.add(pt);
    }
  });
  return got;
}

// The PBX's stream: 20 ms of PCMU silence per 20 ms of its clock while `audio` is on. The clock
// is the wall clock at 8000 Hz (a late timer sends the packets it owes, as a PBX would), so the
// browser's jitter buffer plays it out at the pace it arrives; it runs on while an event takes the
// audio's place.
function pbxSender(socket, to) {
  const t0 = Date.now();
  const s = { seq: 1000, ssrc: 0x1234abcd, audio: true, next: 80000 };
  s.now = () => 80000 + Math.floor((Date.now() - t0) / 20) * 160;
  s.timer = setInterval(() => {
    if (!s.audio) return;
    for (const now = s.now(); s.next <= now; s.next += 160)
      socket.send(header(0, s.seq++, s.next, s.ssrc, false, 160).fill(0xff, 12), to.port, to.address);
  }, 20);
  return s;
}

// The browser's digit 5 as the PBX got it.
function checkBrowserDigit(got) {
  const first = got.events.findIndex((e) => e.code === 5);
  assert(first >= 0, `event 5 arrived with the PBX's payload type ${kPbxEventPt}`);
  const fives = got.events.filter((e) => e.code === 5);
  const last = fives[fives.length - 1].duration;
  const stamps = [...new Set(fives.map((e) => e.ts))];
  const ends = fives.filter((e) => e.end);
  const lastEnd = got.events.lastIndexOf(ends[ends.length - 1]);
  const before = got.audio.filter((a) => a.at <= first).pop();
  const after = got.audio.find((a) => a.at > lastEnd);
  const lead = before ? (stamps[0] - before.ts) >>> 0 : null;
  const resume = after ? (after.ts - stamps[0]) >>> 0 : null;
  console.log(`PBX got event 5 in ${fives.length} packets (PT ${kPbxEventPt}), durations ` +
              `${fives.map((e) => e.duration).join(' ')}, ${ends.length} with the end bit, timestamps ` +
              `${stamps.join(' ')}; the last PCMU before it was ${lead} units earlier, PCMU resumed ` +
              `${resume} units after its start`);
  assert(fives.length > 3, 'the digit took several packets');
  assert(fives[0].marker, 'the digit\'s first packet has the marker bit (RFC 4733 §2.5.1.3)');
  assert.strictEqual(stamps.length, 1, 'all packets of the digit carry its start timestamp');
  assert(fives.every((e, i) => i === 0 || e.duration >= fives[i - 1].duration), 'the durations never shrink');
  assert(ends.length >= 1 && fives[fives.length - 1].end, 'the digit ends with the end bit');
  const expected = kDigitMs * 8;
  assert(Math.abs(last - expected) <= 160, `${kDigitMs} ms in 8000 Hz units is ${expected} ±160 (${last})`);
  assert(lead !== null && lead > 0 && lead <= 800, `the digit starts within 100 ms of the PCMU before it (${lead})`);
  assert(resume !== null && resume >= last - 160 && resume <= last + 1600,
         `the PCMU after the digit continues its clock in 8000 Hz units (${resume} after its start, ${last} long)`);
  return { packets: fives.length, last, lead, resume };
}

async function main() {
  const spec = variants[variant];
  assert(spec, `unknown variant ${variant}`);
  dir = h.tempDir(`dtmf-${variant}`);
  const p = await h.ports();
  const rtp = dgram.createSocket('udp4');
  await new Promise((resolve) => rtp.bind(0, '127.0.0.1', resolve));
  const got = pbxReceiver(rtp);
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000), [], false, null, spec.codecs);
  const sippDone = h.startSipp(path.join(__dirname, 'scenarios', 'uas_rtp_to_test.xml'), p, await h.freePort('udp'), dir,
                               ['-key', 'rtp_port', String(rtp.address().port)]);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`${variant}: logs in ${dir}`);
  const browser = await chromium.launch({
    executablePath: chromiumBinary || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection',
           '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  let sender = null;
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${p.http}/`);
    await page.addScriptTag({ url: `http://127.0.0.1:${p.http}/jssip.js` });
    const call = await page.evaluate(startCall, { wsPort: p.ws, offer: spec.offer });
    assert(call.dtmf, 'the browser has an RTCDTMFSender');
    const webEvent = /a=rtpmap:(\d+) telephone-event\/(\d+)/.exec(call.remote);
    const webCodec = /m=audio \d+ \S+ (\d+)/.exec(call.remote);
    const webCodecName = webCodec && (new RegExp(`a=rtpmap:${webCodec[1]} ([^/\\s]+)`).exec(call.remote) || [])[1];
    console.log(`web leg: ${webCodecName}, telephone-event PT ${webEvent && webEvent[1]} at ${webEvent && webEvent[2]} Hz`);
    assert(webEvent, 'rtcgate answered the browser with telephone-event');
    assert.strictEqual(Number(webEvent[2]), spec.webRate, `the web leg's telephone-event runs at ${spec.webRate} Hz`);
    if (spec.offer) {
      assert(!/PCMU|PCMA|G722/.test(call.offered) && /telephone-event\/48000/.test(call.offered),
             'the browser offered Opus and telephone-event/48000 only');
      assert(/^opus$/i.test(webCodecName), `rtcgate answered the browser with Opus (${webCodecName})`);
    }
    const calls = await h.activeCalls(p.http);
    const legs = calls.length === 1 ? calls[0].legs.map((l) => `${l.kind}:${l.codec}`).sort() : [];
    console.log(`/api/calls: transcoding ${calls.length === 1 && calls[0].transcoding}, legs ${legs}`);
    assert.strictEqual(calls.length, 1);
    assert.strictEqual(Boolean(calls[0].transcoding), Boolean(spec.offer), 'transcoded exactly when the browser has no G.711');

    await h.waitFor('the browser\'s audio at the PBX', async () => got.audio.length > 20, 10000);
    sender = pbxSender(rtp, got.from);
    await page.evaluate(insertDtmf, kDigitMs);
    await h.waitFor('the end of the DTMF event at the PBX', async () => got.events.some((e) => e.end), 5000);
    await h.waitFor('PCMU after the DTMF event at the PBX', async () => got.audio.some((a) => a.at > 0), 3000);
    await h.sleep(200);  // the end packet's retransmissions
    const digit = checkBrowserDigit(got);
    assert.deepStrictEqual([...got.sizes], [160], '20 ms PCMU packets at the PBX');
    assert.deepStrictEqual([...got.others], [], 'nothing but PCMU and the PBX\'s telephone-event reached the PBX');

    // The PBX's digit 7 takes the place of its next audio frame and those after it (as libwebrtc
    // does); its clock runs on.
    await page.evaluate(() => window.call.ear.reset());
    sender.audio = false;
    const before = await page.evaluate(received);
    const start = sender.next;
    let sent = 0;
    for (let duration = 160; ; duration = Math.min(sender.now() - start + 160, kPbxDigitUnits)) {
      const end = duration >= kPbxDigitUnits;
      // RFC 4733 §2.5.1.4: the end packet goes three times.
      for (let copies = end ? 3 : 1; copies > 0; --copies, ++sent)
        rtp.send(event(sender.seq++, start, sender.ssrc, 7, end, duration, sent === 0), got.from.port, got.from.address);
      if (end) break;
      await h.sleep(20);
    }
    await h.sleep(500);
    const after = await page.evaluate(received);
    sender.next = sender.now();
    sender.audio = true;
    await h.sleep(500);
    const ear = await page.evaluate(() => window.call.ear.result());
    console.log(`PBX sent ${sent} telephone-event packets (${kPbxDigitUnits / 8} ms); the browser ` +
                `received ${after - before} RTP packets and heard the digit for ${ear.heardMs} ms (first to last ` +
                `${ear.spanMs} ms, ${ear.blocks} blocks at ${ear.rate} Hz)`);
    assert(after - before >= sent * 0.8, 'the PBX\'s telephone-event reached the browser with a payload type it knows');
    const digitMs = kPbxDigitUnits / 8;
    assert(ear.spanMs >= digitMs * 0.8 && ear.spanMs <= digitMs * 1.5 && ear.heardMs >= digitMs * 0.6,
           `the browser played the PBX's ${digitMs} ms digit for as long (heard ${ear.heardMs} ms, span ${ear.spanMs} ms)`);
    console.log(`${variant}: browser digit ${JSON.stringify(digit)}, PBX digit heard ${ear.spanMs} ms`);
    await page.evaluate(hangUp);
  } finally {
    if (sender) clearInterval(sender.timer);
    await browser.close();
  }
  assert.strictEqual(await Promise.race([sippDone, h.sleep(10000).then(() => 'timeout')]), 0, 'SIPp scenario passed');
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  rtp.close();
  console.log(`chromium dtmf ${variant}: ok`);
  process.exit(0);
}

h.runCase(`chromium dtmf ${variant}`, main, () => dir && h.dumpLogs(dir), 55000);
