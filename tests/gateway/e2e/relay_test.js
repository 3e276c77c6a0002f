// End-to-end registration relay ([registration] relay = true): a JsSIP user on @roamhq/wrtc
// registers over SIP/WebSocket with its PBX credentials; rtcgate relays the REGISTER to SIPp as
// the PBX's registrar, which challenges it and verifies the digest of the retry (verifyauth).
// Usage: node --experimental-websocket relay_test.js RTCGATE_BINARY CASE
//   ok              registered through the relay (rtcgate_registrations{kind="relay"} 1) while a
//                   configured local user registers with rtcgate itself (never seen by the PBX);
//                   the PBX calls the Contact it learned, the browser answers and hears its 440 Hz
//                   tone echoed by the PBX; the browser hangs up, unregisters (relayed, verified)
//   wrong_password  the PBX's 403 reaches the browser (registrationFailed), nothing registered
//   ws_closed       registered, then the browser's WebSocket closes: rtcgate unregisters upstream
//                   (verified again), the relay count drops to 0, and the PBX's call to the old
//                   Contact gets 404
// Each case ends with SIPp's scenario passed, no call left and media released.
'use strict';
const assert = require('assert');
const path = require('path');
const h = require('./harness');

const kTone = 440;
const [binary, testCase] = process.argv.slice(2);
const scenarios = path.join(__dirname, 'scenarios');
const localUsers = [{ name: '1001', password: 'secret-1001' }];
const cases = {
  ok: { scenario: 'uas_registrar_relay.xml', password: 'alice-secret' },
  wrong_password: { scenario: 'uas_registrar_wrong_password.xml', password: 'wrong' },
  ws_closed: { scenario: 'uas_registrar_ws_closed.xml', password: 'alice-secret' },
};

let dir = null;

async function registrations(port, kind) {
  return h.metric((await h.get(port, '/metrics')).body, 'rtcgate_registrations', `kind="${kind}"`);
}

function sessionEnd(session) {
  return new Promise((resolve) => {
    session.on('ended', (e) => resolve({ kind: 'ended', originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => resolve({ kind: 'failed', originator: e.originator, cause: e.cause }));
  });
}

// A JsSIP user agent that registers as `user` through rtcgate; resolves with the registration's
// outcome. No reconnect within the test: a closed WebSocket stays closed.
function startPhone(JsSIP, p, user, domain, password) {
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`);
  const ua = new JsSIP.UA({
    sockets: [socket],
    uri: `sip:${user}@${domain}`,
    password,
    register: true,
    register_expires: 600,
    connection_recovery_min_interval: 60,
    connection_recovery_max_interval: 60,
  });
  const incoming = new Promise((resolve) => {
    ua.on('newRTCSession', (e) => {
      if (e.originator === 'remote') resolve(e.session);
    });
  });
  const outcome = new Promise((resolve) => {
    ua.on('registered', () => resolve('registered'));
    ua.on('registrationFailed', (e) => resolve(`failed: ${e.cause}`));
  });
  ua.start();
  return { ua, socket, incoming, outcome };
}

async function answerAndHear(JsSIP, wrtc, phone, p) {
  const mic = h.toneSource(wrtc, kTone);
  const s = await Promise.race([phone.incoming,
                                h.sleep(15000).then(() => { throw new Error('the PBX\'s INVITE did not reach the browser'); })]);
  console.log(`INVITE at the browser: ${s._request.ruri} (To ${s._request.to})`);
  const end = sessionEnd(s);
  const confirmed = new Promise((resolve) => s.on('confirmed', resolve));
  s.answer({ mediaStream: mic.stream, pcConfig: { iceServers: [] } });
  await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
  const receiver = s.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  assert(receiver, 'the browser has an audio receiver');
  const heard = h.listen(wrtc, receiver.track);
  assert.strictEqual((await h.activeCalls(p.http)).length, 1, 'the answered call is listed in /api/calls');
  await h.sleep(4000);
  await h.expectTone(s.connection, heard, kTone);
  heard.stop();
  s.terminate();
  const result = await end;
  assert.strictEqual(result.originator, 'local');
  mic.stop();
}

async function main() {
  const spec = cases[testCase];
  assert(spec, `unknown case ${testCase}`);
  dir = h.tempDir(`relay-${testCase}`);
  const p = await h.ports();
  const pbxMedia = await h.freePort('udp');
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000), localUsers, false, null, null, true);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);
  const sippDone = h.startSipp(path.join(scenarios, spec.scenario), p, pbxMedia, dir);
  await h.sleep(300);  // SIPp binds its port

  const { JsSIP, wrtc } = h.loadJsSip();
  const phone = startPhone(JsSIP, p, 'alice', 'pbx.test', spec.password);
  const result = await Promise.race([phone.outcome, h.sleep(10000).then(() => 'no answer')]);
  console.log(`registration through the relay: ${result}`);

  if (testCase === 'wrong_password') {
    assert.strictEqual(result, `failed: ${JsSIP.C.causes.REJECTED}`, 'the PBX\'s 403 reached the browser');
    assert.strictEqual(await registrations(p.http, 'relay'), 0, 'no binding kept');
  } else {
    assert.strictEqual(result, 'registered');
    assert.strictEqual(await registrations(p.http, 'relay'), 1);
    assert.strictEqual(await registrations(p.http, 'local'), 0);
  }

  if (testCase === 'ok') {
    // A configured local user is served by rtcgate itself: the PBX never sees its REGISTER (its
    // scenario would fail on an unexpected message).
    const local = startPhone(JsSIP, p, '1001', '127.0.0.1', 'secret-1001');
    assert.strictEqual(await local.outcome, 'registered');
    assert.strictEqual(await registrations(p.http, 'local'), 1);
    assert.strictEqual(await registrations(p.http, 'relay'), 1);
    local.ua.stop();
    await answerAndHear(JsSIP, wrtc, phone, p);
    const gone = new Promise((resolve) => phone.ua.on('unregistered', resolve));
    phone.ua.unregister();
    await Promise.race([gone, h.sleep(10000).then(() => { throw new Error('not unregistered'); })]);
    await h.waitFor('no relayed registration left', async () => (await registrations(p.http, 'relay')) === 0, 5000);
  } else if (testCase === 'ws_closed') {
    phone.socket._ws.close();
    await h.waitFor('relayed registration removed', async () => (await registrations(p.http, 'relay')) === 0, 5000);
  }

  const sippCode = await Promise.race([sippDone, h.sleep(20000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp scenario ${spec.scenario} passed (exit ${sippCode})`);
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  const metrics = (await h.get(p.http, '/metrics')).body;
  assert.strictEqual(h.metric(metrics, 'rtcgate_registrations', 'kind="relay"'), 0);
  if (testCase === 'ok') {
    assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', 'outcome="answered"'), 1, 'one call answered');
  } else if (testCase === 'ws_closed') {
    assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', 'outcome="answered"'), 0);
  }
  phone.ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

h.runCase(testCase, main, () => dir && h.dumpLogs(dir));
