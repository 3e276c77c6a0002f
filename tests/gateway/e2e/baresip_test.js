// End-to-end calls between a browser-grade WebRTC peer (JsSIP on @roamhq/wrtc) and a real SIP phone
// (baresip) through rtcgate, audio checked by frequency at both ends: the browser sends 440 Hz,
// baresip plays a 1000 Hz WAV; each side must hear the other's tone, not its own.
// Usage: node --experimental-websocket baresip_test.js RTCGATE_BINARY CASE
//   to_baresip    the browser dials bob; rtcgate's [pbx] uri is baresip, which auto-answers; the
//                 browser hangs up and baresip gets the BYE
//   from_baresip  baresip (as the PBX side) dials the registered web user 1001 on rtcgate's SIP/UDP
//                 port; the browser answers, then hangs up and baresip gets the BYE
// Each case ends with no call in /api/calls, the media sessions and ports released, one answered call
// counted.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const h = require('./harness');
const baresip = require('./baresip');

const kBrowserTone = 440;
const kPhoneTone = 1000;
const [binary, testCase] = process.argv.slice(2);
const users = [{ name: '1001', password: 'secret-1001' }];
let dir = null;

function sessionEnd(session) {
  return new Promise((resolve) => {
    session.on('ended', (e) => resolve({ kind: 'ended', originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => resolve({ kind: 'failed', originator: e.originator, cause: e.cause }));
  });
}

async function startUa(JsSIP, p, register) {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`)],
    uri: 'sip:1001@127.0.0.1',
    password: 'secret-1001',
    register,
  });
  const incoming = new Promise((resolve) => ua.on('newRTCSession', (e) => {
    if (e.originator === 'remote') resolve(e.session);
  }));
  await new Promise((resolve, reject) => {
    ua.on(register ? 'registered' : 'connected', resolve);
    ua.on('registrationFailed', (e) => reject(new Error(`registration failed: ${e.cause}`)));
    ua.on('disconnected', () => reject(new Error('WebSocket to rtcgate failed')));
    ua.start();
  });
  return { ua, incoming };
}

// The browser's half of an answered call: its RTP both ways and baresip's tone in what it hears.
async function checkBrowserSide(wrtc, session) {
  const receiver = session.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  assert(receiver, 'the browser has an audio receiver');
  const heard = h.listen(wrtc, receiver.track);
  await h.sleep(4000);
  heard.stop();
  const counts = await h.rtpCounts(session.connection);
  console.log(`rtp at the browser: sent ${counts.sent}, received ${counts.received}`);
  assert(counts.sent > 100, 'the browser sent RTP');
  assert(counts.received > 100, 'the browser received RTP from baresip');
  const phone = h.recentToneShare(heard.samples, heard.rate, kPhoneTone);
  const own = h.recentToneShare(heard.samples, heard.rate, kBrowserTone);
  console.log(`the browser hears ${kPhoneTone} Hz (baresip's file) with share ${phone.toFixed(3)}, ` +
              `its own ${kBrowserTone} Hz with ${own.toFixed(3)}`);
  assert(phone > 0.3, `the browser hears baresip's ${kPhoneTone} Hz tone (share ${phone})`);
  assert(own < 0.1, 'what the browser hears is not its own tone echoed');
}

// baresip's half, after the browser hung up: it got the BYE and its recording holds the browser's tone.
async function checkPhoneSide(phone) {
  await h.waitFor('baresip to see the call end (BYE)', async () => /terminated \(duration/.test(fs.readFileSync(phone.log, 'utf8')),
                  5000);
  const heard = baresip.heardBy(phone);
  const seconds = h.toneSeconds(heard.samples, heard.rate, kBrowserTone);
  const own = h.toneSeconds(heard.samples, heard.rate, kPhoneTone);
  console.log(`baresip recorded ${(heard.samples.length / heard.rate).toFixed(1)} s: ${seconds} s of the browser's ` +
              `${kBrowserTone} Hz, ${own} s of its own ${kPhoneTone} Hz`);
  assert(seconds >= 2, `baresip heard the browser's ${kBrowserTone} Hz tone for at least 2 s (${seconds} s)`);
  assert.strictEqual(own, 0, 'baresip does not hear its own tone echoed');
}

async function main() {
  assert(testCase === 'to_baresip' || testCase === 'from_baresip', `unknown case ${testCase}`);
  dir = h.tempDir(`baresip-${testCase}`);
  const p = await h.ports();
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const rtpBase = 20000 + 10 * (process.pid % 900);
  const toneFile = path.join(dir, 'tone1000.wav');
  baresip.writeToneWav(toneFile, kPhoneTone, 30);
  const config = h.writeConfig(dir, p, mediaBase, users);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);

  const { JsSIP, wrtc } = h.loadJsSip();
  const mic = h.toneSource(wrtc, kBrowserTone);
  let phone;
  let session;
  let ua;
  if (testCase === 'to_baresip') {
    // rtcgate's [pbx] uri is sip:127.0.0.1:<p.pbx>: baresip listens there.
    phone = baresip.startBaresip({ dir, user: 'bob', port: p.pbx, rtpPorts: [rtpBase, rtpBase + 9], toneFile,
                                   autoAnswer: true, track: h.track });
    await h.waitFor('baresip ready', async () => /baresip is ready/.test(fs.readFileSync(phone.log, 'utf8')), 5000);
    ({ ua } = await startUa(JsSIP, p, false));
    session = ua.call(`sip:bob@127.0.0.1:${p.ws}`, { mediaStream: mic.stream, pcConfig: { iceServers: [] } });
  } else {
    const started = await startUa(JsSIP, p, true);
    ua = started.ua;
    phone = baresip.startBaresip({ dir, user: 'carol', port: await h.freePort('udp'), rtpPorts: [rtpBase, rtpBase + 9],
                                   toneFile, dial: `sip:1001@127.0.0.1:${p.udp}`, track: h.track });
    session = await Promise.race([started.incoming,
                                  h.sleep(10000).then(() => { throw new Error('baresip\'s INVITE did not reach the browser'); })]);
    session.answer({ mediaStream: mic.stream, pcConfig: { iceServers: [] } });
  }
  const end = sessionEnd(session);
  const confirmed = new Promise((resolve) => session.on('confirmed', resolve));
  await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); }),
                      h.sleep(15000).then(() => { throw new Error('no answer within 15 s'); })]);
  const calls = await h.activeCalls(p.http);
  assert.strictEqual(calls.length, 1, 'the answered call is listed in /api/calls');
  console.log(`/api/calls: ${JSON.stringify(calls)}`);

  await checkBrowserSide(wrtc, session);
  session.terminate();
  const result = await end;
  assert.strictEqual(result.originator, 'local');
  await checkPhoneSide(phone);
  mic.stop();

  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  const metrics = (await h.get(p.http, '/metrics')).body;
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', 'outcome="answered"'), 1, 'one answered call counted');
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_active'), 0);
  ua.stop();
  phone.child.kill('SIGTERM');
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

h.runCase(testCase, main, () => dir && h.dumpLogs(dir));
