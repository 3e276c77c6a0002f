// End-to-end transcoded calls: JsSIP on @roamhq/wrtc (libwebrtc) offers Opus only, the PBX leg
// allows G.711 only ([codecs] web = ["opus", ...], legacy = ["PCMU", ...], transcode = true), so
// rtcgate answers the browser with Opus, offers the PBX PCMU and transcodes between them.
// Usage: node transcode_test.js RTCGATE_BINARY CASE
//   pbx            SIPp answers PCMU with its media on a UDP socket of this test, which decodes what
//                  arrives (PCMU, 20 ms, the browser's 1000 Hz tone) and sends it back: the browser
//                  hears its tone through Opus -> PCMU -> Opus; /api/calls shows opus and PCMU legs
//                  Each leg also gets rtcgate's own RTCP: an SR at the PBX, a report block about
//                  the browser's stream at the browser.
//   endpoint_tone  rtcgate's built-in test endpoint plays its 440 Hz PCMU tone: the browser hears
//                  440 Hz (PCMU -> Opus) while it sends 1000 Hz
'use strict';
const assert = require('assert');
const dgram = require('dgram');
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const kMic = 1000;
const [binary, testCase] = process.argv.slice(2);
const cases = {
  pbx: { hear: kMic },
  endpoint_tone: { user: 'tone', hear: 440 },
};
const kCodecs = ['web = ["opus", "telephone-event"]', 'legacy = ["PCMU", "telephone-event"]', 'transcode = true',
                 'opus_complexity = 1'];

let dir = null;
function ulawDecode(u) {
  u = ~u & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? 0x84 - t : t - 0x84;
}

function bind(socket, port) {
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
}

// The PBX's media: whatever rtcgate sends is recorded and echoed back to where it came from; RTCP
// (the next port, RFC 3550 §11) is recorded too.
async function pbxMedia() {
  let socket = null;
  let rtcp = null;
  for (let attempt = 0; attempt < 20 && !rtcp; ++attempt) {
    socket = dgram.createSocket('udp4');
    await bind(socket, 0);
    rtcp = dgram.createSocket('udp4');
    if (!(await bind(rtcp, socket.address().port + 1))) {
      socket.close();
      rtcp = null;
    }
  }
  assert(rtcp, 'an RTP/RTCP port pair for the PBX');
  const got = { packets: 0, pts: new Set(), sizes: new Set(), samples: [], ssrcs: new Set(), senderReports: [] };
  rtcp.on('message', (msg) => {
    if (msg.length >= 28 && (msg[0] & 0xc0) === 0x80 && msg[1] === 200)
      got.senderReports.push({ ssrc: msg.readUInt32BE(4), packets: msg.readUInt32BE(20), blocks: msg[0] & 0x1f });
  });
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12 || (msg[0] & 0xc0) !== 0x80 || (msg[1] & 0x7f) >= 72 && (msg[1] & 0x7f) <= 76) return;
    ++got.packets;
    got.pts.add(msg[1] & 0x7f);
    got.ssrcs.add(msg.readUInt32BE(8));
    if ((msg[1] & 0x7f) === 0) {
      got.sizes.add(msg.length - 12);
      for (let i = 12; i < msg.length; ++i) got.samples.push(ulawDecode(msg[i]));
    }
    socket.send(msg, rinfo.port, rinfo.address);
  });
  return { socket, rtcp, got, port: socket.address().port };
}

function scenarioWithMediaPort(port) {
  const text = fs.readFileSync(path.join(__dirname, 'scenarios', 'uas_ringing_answer.xml'), 'utf8')
    .replace('m=audio [media_port] RTP/AVP 0 101', `m=audio ${port} RTP/AVP 0 101`);
  assert(text.includes(`m=audio ${port} `), 'the scenario names the test\'s media port');
  const file = path.join(dir, 'uas_pcmu_at_test_port.xml');
  fs.writeFileSync(file, text);
  return file;
}

async function main() {
  const spec = cases[testCase];
  assert(spec, `unknown case ${testCase}`);
  dir = h.tempDir(`transcode-${testCase}`);
  const p = await h.ports();
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const useSipp = testCase === 'pbx';
  const config = h.writeConfig(dir, p, mediaBase, [], !useSipp, null, kCodecs);
  const media = useSipp ? await pbxMedia() : null;
  const sippDone = useSipp ? h.startSipp(scenarioWithMediaPort(media.port), p, await h.freePort('udp'), dir)
                           : Promise.resolve(0);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);

  const { JsSIP, wrtc } = h.loadJsSip();
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`);
  const ua = new JsSIP.UA({ sockets: [socket], uri: 'sip:alice@127.0.0.1', register: false });
  await new Promise((resolve, reject) => {
    ua.on('connected', resolve);
    ua.on('disconnected', () => reject(new Error('WebSocket to rtcgate failed')));
    ua.start();
  });
  const mic = h.toneSource(wrtc, kMic);
  const session = ua.call(`sip:${spec.user || '1000'}@127.0.0.1:${p.ws}`, {
    mediaStream: mic.stream,
    pcConfig: { iceServers: [] },
  });
  let offered = null;
  session.on('sdp', (e) => {
    if (e.originator === 'local' && e.type === 'offer') {
      e.sdp = h.opusOnly(e.sdp);
      offered = e.sdp;
    }
  });
  const confirmed = new Promise((resolve) => session.on('confirmed', resolve));
  const end = new Promise((resolve) => {
    session.on('ended', (e) => resolve({ kind: 'ended', originator: e.originator }));
    session.on('failed', (e) => resolve({ kind: 'failed', cause: e.cause, status: e.message && e.message.status_code }));
  });
  await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
  assert(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF( \d+){1,2}\r\n/.test(offered), 'the browser offered Opus only');
  assert(!/PCMU|PCMA|G722/.test(offered), 'no G.711 in the browser\'s offer');

  const receiver = session.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  const heard = h.listen(wrtc, receiver.track);
  await h.sleep(4000);
  const calls = await h.activeCalls(p.http);
  console.log(`/api/calls: ${JSON.stringify(calls)}`);
  assert.strictEqual(calls.length, 1);
  assert.strictEqual(calls[0].transcoding, true, '/api/calls says the call is transcoded');
  const codecs = calls[0].legs.map((l) => `${l.kind}:${l.codec}`).sort();
  assert(codecs[0].startsWith('legacy:PCMU/8000') && /^web:opus\/48000/i.test(codecs[1]),
         `the legs carry opus and PCMU (${codecs})`);
  const remote = session.connection.remoteDescription.sdp;
  assert(/a=rtpmap:\d+ opus\/48000/.test(remote) && !/PCMU/.test(remote), 'rtcgate answered the browser with Opus');

  const counts = await h.rtpCounts(session.connection);
  console.log(`rtp at the browser: sent ${counts.sent}, received ${counts.received}`);
  assert(counts.sent > 100 && counts.received > 100, 'RTP both ways at the browser');
  const share = h.recentToneShare(heard.samples, heard.rate, spec.hear);
  console.log(`share of ${spec.hear} Hz in what the browser hears (best 0.5 s): ${share.toFixed(3)}`);
  assert(share > 0.3, `the browser hears ${spec.hear} Hz (share ${share})`);

  if (media) {
    const { got } = media;
    console.log(`at the PBX: ${got.packets} packets, payload types ${[...got.pts]}, sizes ${[...got.sizes]}`);
    assert(got.packets > 100, 'the PBX received RTP');
    assert.deepStrictEqual([...got.pts], [0], 'only PCMU reached the PBX');
    assert.deepStrictEqual([...got.sizes], [160], '20 ms PCMU packets');
    assert.strictEqual(got.ssrcs.size, 1, 'one SSRC on the legacy leg');
    const pcmuShare = h.recentToneShare(got.samples, 8000, kMic);
    console.log(`share of the browser's ${kMic} Hz in the PCMU the PBX got (best 0.5 s): ${pcmuShare.toFixed(3)}`);
    assert(pcmuShare > 0.5, `the PBX's PCMU carries the browser's tone (share ${pcmuShare})`);
  }

  // Each leg gets rtcgate's own RTCP (every 5 s): a sender report about the PCMU stream at the PBX,
  // and at the browser a report block about the browser's own stream (remote-inbound-rtp).
  if (media) {
    const sr = await h.waitFor('a sender report at the PBX', async () => media.got.senderReports[0], 8000);
    console.log(`RTCP at the PBX: ${JSON.stringify(media.got.senderReports)}`);
    assert(media.got.ssrcs.has(sr.ssrc), 'the SR is about the PCMU stream the PBX receives');
    assert(sr.packets > 100 && sr.blocks === 1, 'the SR counts the packets sent and reports on the PBX stream');
  }
  const remoteInbound = await h.waitFor('a report block about the browser\'s stream', async () => {
    let found = null;
    (await session.connection.getStats()).forEach((r) => { if (r.type === 'remote-inbound-rtp') found = r; });
    return found;
  }, 8000);
  console.log(`remote-inbound-rtp at the browser: ${JSON.stringify(remoteInbound)}`);

  session.terminate();
  const result = await end;
  assert.strictEqual(result.originator, 'local');
  mic.stop();
  heard.stop();
  const sippCode = await Promise.race([sippDone, h.sleep(15000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp passed (exit ${sippCode})`);
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  if (media) {
    media.socket.close();
    media.rtcp.close();
  }
  ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

const deadline = setTimeout(() => {
  console.error(`case ${testCase}: deadline exceeded`);
  process.exit(1);
}, 55000);
deadline.unref();
main().catch((e) => {
  console.error(`case ${testCase}: FAILED: ${e.stack || e}`);
  if (dir) h.dumpLogs(dir);
  process.exit(1);
});
