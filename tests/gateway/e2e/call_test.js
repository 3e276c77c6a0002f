// End-to-end browser → PBX calls through a real rtcgate: JsSIP on @roamhq/wrtc (libwebrtc) dials
// over SIP/WebSocket, rtcgate bridges to a SIPp UAS on 127.0.0.1 that echoes RTP (-rtp_echo).
// Usage: node call_test.js RTCGATE_BINARY CASE
//   answered       183 early media, 200, tone echoed back and measured, browser hangs up (BYE)
//   pbx_hangs_up   180, 200, media both ways, the PBX sends BYE
//   busy           the PBX answers 486: the browser gets 486
//   cancel         the browser gives up while it rings: CANCEL relayed, 487
//   fingerprint    the browser's offer carries a wrong DTLS fingerprint; the PBX answers without
//                  early media: DTLS fails after the answer, BYE to both legs
//   endpoint_echo  no SIPp: rtcgate's built-in test endpoint ([test_endpoint]) is the PBX; `echo`
//                  sends the browser's tone back
//   endpoint_tone  the same; `tone` plays its 440 Hz tone while the browser sends 1000 Hz
//   pc_closed      the browser closes its peer connection without a BYE (DTLS close_notify reaches
//                  rtcgate): rtcgate sends BYE to both legs
//   ws_closed      the browser's WebSocket closes mid-call: rtcgate sends BYE to the PBX
//   pbx_auth       the PBX challenges the INVITE (401); rtcgate retries with [pbx] credentials,
//                  which SIPp verifies, then the call proceeds as `answered`
//   redirected     the PBX answers 302 naming a tel: URI, an unused SIP target and itself (highest q
//                  among the SIP ones) under another user; rtcgate follows it (SIPp checks the new
//                  Request-URI and CSeq), the browser gets 181, then the call proceeds as `answered`
//   drain          SIGTERM during an answered call: a new call gets 503, the call gets BYE after
//                  the grace period ([sip] drain_seconds, 4 s here), rtcgate exits 0
//   fingerprint_early  the same during early media (183 with SDP): 488 to the browser, CANCEL to
//                  the PBX
//   session_timer  RFC 4028: the PBX answers the first INVITE 422 with Min-SE 3600 and the retry
//                  (Session-Expires 3600) with itself as refresher, then refreshes with an UPDATE that
//                  rtcgate answers 200 with the interval; the browser's 200 carries its own timer
//                  (JsSIP asks for 90 s and refreshes itself); then as `answered`
//   session_refresh  RFC 4028 refreshes, 45 s into the call: the PBX answered with a 90 s timer
//                  that rtcgate refreshes (an UPDATE that SIPp checks), and the browser refreshes its
//                  own 90 s timer with an UPDATE that rtcgate answers 200 (before, 488); the call
//                  goes on, then the browser hangs up
// Each case ends with no call left in /api/calls and its outcome counted in /metrics. The session
// timer cases that wait out a refresh or an expiry (session_expiry, session_refresh_reinvite) are
// in session_test.js.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const kTone = 440;
const [binary, testCase] = process.argv.slice(2);
const kDrainSeconds = 4;
const scenarios = path.join(__dirname, 'scenarios');

const cases = {
  answered: { scenario: 'uas_early_media.xml', outcome: 'answered' },
  pbx_hangs_up: { scenario: 'uas_pbx_hangs_up.xml', outcome: 'answered' },
  busy: { scenario: 'uas_busy.xml', outcome: 'rejected' },
  cancel: { scenario: 'uas_cancelled.xml', outcome: 'cancelled' },
  fingerprint: { scenario: 'uas_ringing_answer.xml', outcome: 'answered' },
  endpoint_echo: { user: 'echo', outcome: 'answered', mic: 440 },
  endpoint_tone: { user: 'tone', outcome: 'answered', mic: 1000 },
  pc_closed: { scenario: 'uas_ringing_answer.xml', outcome: 'answered' },
  ws_closed: { scenario: 'uas_ringing_answer.xml', outcome: 'answered' },
  pbx_auth: { scenario: 'uas_digest_answer.xml', outcome: 'answered',
              pbxAuth: { username: 'gateway', password: 'trunk-secret' } },
  redirected: { scenario: 'uas_redirect_answer.xml', outcome: 'answered' },
  drain: { scenario: 'uas_early_media.xml', outcome: 'answered' },
  fingerprint_early: { scenario: 'uas_early_media_cancelled.xml', outcome: 'failed' },
  session_timer: { scenario: 'uas_session_timer.xml', outcome: 'answered' },
  session_refresh: { scenario: 'uas_session_refresh.xml', outcome: 'answered', sippArgs: ['-timeout', '58s'] },
};

let dir = null;

async function main() {
  const spec = cases[testCase];
  assert(spec, `unknown case ${testCase}`);
  dir = h.tempDir(testCase);
  const p = await h.ports();
  const pbxMedia = await h.freePort('udp');
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const config = h.writeConfig(dir, p, mediaBase, [], !spec.scenario, spec.pbxAuth);
  if (testCase === 'drain') {
    // A grace period shorter than the default 10 s, which the case measures.
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('[sip]\n', `[sip]\ndrain_seconds = ${kDrainSeconds}\n`));
  }
  const sippDone = spec.scenario ? h.startSipp(path.join(scenarios, spec.scenario), p, pbxMedia, dir, spec.sippArgs)
                                 : Promise.resolve(0);
  const rtcgate = h.startRtcgate(binary, config, dir);
  const rtcgateExit = new Promise((resolve) => rtcgate.on('exit', (code) => resolve(code)));
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

  const mic = h.toneSource(wrtc, spec.mic || kTone);
  const session = ua.call(`sip:${spec.user || 'echo'}@127.0.0.1:${p.ws}`, {
    mediaStream: mic.stream,
    pcConfig: { iceServers: [] },
  });
  if (testCase.startsWith('fingerprint')) {
    session.on('sdp', (e) => {
      if (e.originator === 'local') e.sdp = e.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/, 'a=fingerprint:sha-256 00');
    });
  }
  let heard = null;
  const progress = [];
  session.on('progress', (e) => {
    progress.push(e.response ? e.response.status_code : 0);
    if (testCase === 'cancel') setTimeout(() => session.terminate(), 500);
  });
  const confirmed = new Promise((resolve) => session.on('confirmed', resolve));
  const end = h.sessionEnd(session);
  let accepted = null;
  session.on('accepted', (e) => { accepted = e.response; });

  let result;
  if (testCase === 'pc_closed' || testCase === 'ws_closed') {
    await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
    await h.sleep(1000);
    const started = Date.now();
    if (testCase === 'pc_closed') session.connection.close();
    else socket.disconnect();
    const sippCode = await Promise.race([sippDone, h.sleep(40000).then(() => 'timeout')]);
    console.log(`the PBX got its BYE ${Date.now() - started} ms after the browser went away`);
    assert.strictEqual(sippCode, 0, 'the PBX leg got BYE');
    await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
    await h.waitMediaFreed(p.http);
  await h.waitMediaFreed(p.http);
    mic.stop();
    console.log(`case ${testCase}: ok`);
    process.exit(0);
  } else if (testCase === 'session_refresh') {
    await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
    const started = Date.now();
    const log = () => fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8');
    await h.waitFor('both legs refreshed', async () => /event=call.session_refreshed .*leg=legacy by=us/.test(log()) &&
                    /event=call.session_refreshed .*leg=web by=peer/.test(log()), 50000);
    console.log(`both legs refreshed ${Date.now() - started} ms after the answer`);
    assert.strictEqual((await h.activeCalls(p.http)).length, 1, 'the call is still up');
    session.terminate();
    result = await end;
    assert.strictEqual(result.originator, 'local');
  } else if (testCase === 'drain') {
    await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
    rtcgate.kill('SIGTERM');
    await h.sleep(500);
    const late = ua.call(`sip:echo@127.0.0.1:${p.ws}`, { mediaStream: mic.stream, pcConfig: { iceServers: [] } });
    const refused = await h.sessionEnd(late);
    assert.strictEqual(refused.status, 503, 'a new call while draining gets 503');
    const started = Date.now();
    result = await end;
    const waited = Date.now() - started;
    console.log(`the answered call ended ${waited} ms after the refusal: ${JSON.stringify(result)}`);
    assert.strictEqual(result.originator, 'remote', 'rtcgate sent BYE after the grace period');
    // From SIGTERM: the refusal came ~0.5 s after it.
    assert(waited > kDrainSeconds * 1000 - 1000 && waited < kDrainSeconds * 1000 + 2000,
           `the call was given its grace period of [sip] drain_seconds = ${kDrainSeconds}`);
    assert.strictEqual(await Promise.race([sippDone, h.sleep(5000).then(() => 'timeout')]), 0, 'the PBX got BYE');
    assert.strictEqual(await Promise.race([rtcgateExit, h.sleep(5000).then(() => 'timeout')]), 0, 'rtcgate exited 0');
    mic.stop();
    console.log(`case ${testCase}: ok`);
    process.exit(0);
  } else if (testCase === 'answered' || testCase === 'pbx_hangs_up' || testCase === 'pbx_auth' ||
             testCase === 'redirected' ||
             testCase === 'session_timer' || testCase.startsWith('endpoint')) {
    await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
    if (testCase === 'session_timer') {
      const se = accepted.getHeader('Session-Expires');
      console.log(`the browser's 200: Session-Expires: ${se}, Require: ${accepted.getHeader('Require')}`);
      assert(/^90;refresher=uac$/.test(se), 'the browser, which asked for 90 s, refreshes its own leg');
      assert(/timer/.test(accepted.getHeader('Require') || ''), 'Require: timer in the 200 to the browser');
    }
    const receiver = session.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
    assert(receiver, 'the browser has an audio receiver');
    heard = h.listen(wrtc, receiver.track);
    const calls = await h.activeCalls(p.http);
    assert.strictEqual(calls.length, 1, 'the answered call is listed in /api/calls');
    await h.sleep(4000);
    const listed = await h.activeCalls(p.http);
    console.log(`/api/calls: ${JSON.stringify(listed)}`);
    if (testCase === 'redirected') {
      assert(progress.includes(181), 'the browser heard 181 Call Is Being Forwarded');
      const legacy = listed[0].legs.find((l) => l.kind === 'legacy');
      assert(/^sip:redirected@/.test(legacy.remote_uri), `the legacy leg went to the 302's target (${legacy.remote_uri})`);
    }
    await h.expectTone(session.connection, heard, kTone);
    if (testCase !== 'pbx_hangs_up') {
      if (testCase === 'answered') assert(progress.includes(183), 'the 183 with early media reached the browser');
      session.terminate();
      result = await end;
      assert.strictEqual(result.originator, 'local');
    } else {
      assert(progress.includes(180), 'the 180 reached the browser');
      result = await end;
      assert.strictEqual(result.originator, 'remote', 'the PBX hung up and rtcgate relayed the BYE');
    }
  } else {
    result = await end;
    console.log(`session end: ${JSON.stringify(result)}`);
    if (testCase === 'busy') assert.strictEqual(result.status, 486);
    if (testCase === 'cancel') assert.strictEqual(result.cause, JsSIP.C.causes.CANCELED);
    if (testCase === 'fingerprint') {
      assert.strictEqual(result.kind, 'ended', 'the call was answered first');
      assert.strictEqual(result.originator, 'remote', 'rtcgate ended the call with BYE');
    }
    if (testCase === 'fingerprint_early') assert.strictEqual(result.status, 488);
  }
  mic.stop();
  if (heard) heard.stop();

  const sippCode = await Promise.race([sippDone, h.sleep(15000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp scenario ${spec.scenario} passed (exit ${sippCode})`);
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  const metrics = (await h.get(p.http, '/metrics')).body;
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', `outcome="${spec.outcome}"`), 1,
                     `one call counted as ${spec.outcome}`);
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_active'), 0);
  ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

const deadline = setTimeout(() => {
  console.error(`case ${testCase}: deadline exceeded`);
  process.exit(1);
}, testCase === 'session_refresh' ? 58000 : 55000);
deadline.unref();
main().catch((e) => {
  console.error(`case ${testCase}: FAILED: ${e.stack || e}`);
  if (dir) h.dumpLogs(dir);
  process.exit(1);
});
