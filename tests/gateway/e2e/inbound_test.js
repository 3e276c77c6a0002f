// End-to-end PBX → browser calls through a real rtcgate: a JsSIP user on @roamhq/wrtc registers
// with rtcgate ([[users]], digest), SIPp as the PBX calls it over UDP with a PCMU offer and echoes
// the RTP it receives (-rtp_echo). rtcgate forks the call to the registration with a WebRTC offer
// and bridges the browser's answer back to the PBX.
// Usage: node --experimental-websocket inbound_test.js RTCGATE_BINARY CASE
//   answered      the browser answers: its 440 Hz tone comes back through the PBX's echo (audio both
//                 ways), RTP counted, then the browser hangs up (BYE relayed to the PBX)
//   forked        two registrations of the user: both ring, the first answers, the other gets CANCEL
//   busy          the browser rejects with 486: the PBX gets 486
//   pbx_hangs_up  answered as above; then the PBX sends BYE, relayed to the browser
//   cancel        the PBX gives up while the browser rings: CANCEL relayed, 487 to the PBX
//   unregistered  nobody registered for the called user: the PBX gets 480
//   transcoded    as answered, with the web leg allowing Opus only and the legacy leg PCMU only
//                 ([codecs] transcode = true): the browser's tone comes back through Opus -> PCMU
//                 -> SIPp's echo -> PCMU -> Opus
//   offerless     as answered, but the PBX's INVITE has no SDP: rtcgate's 200 carries its offer
//                 (SIPp checks PCMU and telephone-event) and the answer in the PBX's ACK starts the
//                 media toward it (the tone comes back)
//   offerless_no_answer  the PBX's ACK carries no answer: rtcgate sends BYE to both legs
// Each case ends with no call left in /api/calls, media released and its outcome counted.
'use strict';
const assert = require('assert');
const path = require('path');
const h = require('./harness');

const kTone = 440;
const [binary, testCase] = process.argv.slice(2);
const scenarios = path.join(__dirname, 'scenarios');
const users = [{ name: '1001', password: 'secret-1001' }];
const cases = {
  answered: { scenario: 'uac_call_web_user.xml', outcome: 'answered', register: true },
  forked: { scenario: 'uac_call_web_user.xml', outcome: 'answered', register: true, phones: 2 },
  busy: { scenario: 'uac_call_web_user_busy.xml', outcome: 'rejected', register: true },
  pbx_hangs_up: { scenario: 'uac_call_web_user_pbx_bye.xml', outcome: 'answered', register: true },
  cancel: { scenario: 'uac_call_web_user_cancelled.xml', outcome: 'cancelled', register: true },
  unregistered: { scenario: 'uac_call_unregistered.xml', outcome: 'refused', register: false },
  transcoded: { scenario: 'uac_call_web_user.xml', outcome: 'answered', register: true,
                codecs: ['web = ["opus", "telephone-event"]', 'legacy = ["PCMU", "telephone-event"]', 'transcode = true'] },
  offerless: { scenario: 'uac_call_web_user_offerless.xml', outcome: 'answered', register: true },
  offerless_no_answer: { scenario: 'uac_call_web_user_offerless_no_answer.xml', outcome: 'answered',
                         register: true },
};

let dir = null;

function sessionEnd(session) {
  return new Promise((resolve) => {
    session.on('ended', (e) => resolve({ kind: 'ended', originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => resolve({ kind: 'failed', originator: e.originator, cause: e.cause }));
  });
}

// A JsSIP user agent for 1001 (registered or only connected) and its first incoming call.
async function startPhone(JsSIP, p, register) {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`)],
    uri: 'sip:1001@127.0.0.1',
    password: 'secret-1001',
    register,
  });
  let rings = 0;
  const incoming = new Promise((resolve) => {
    ua.on('newRTCSession', (e) => {
      if (e.originator !== 'remote') return;
      rings += 1;
      resolve(e.session);
    });
  });
  await new Promise((resolve, reject) => {
    if (register) {
      ua.on('registered', resolve);
      ua.on('registrationFailed', (e) => reject(new Error(`registration failed: ${e.cause}`)));
    } else {
      ua.on('connected', resolve);
    }
    ua.on('disconnected', () => reject(new Error('WebSocket to rtcgate failed')));
    ua.start();
  });
  return { ua, incoming, rang: () => rings };
}

async function main() {
  const spec = cases[testCase];
  assert(spec, `unknown case ${testCase}`);
  dir = h.tempDir(`inbound-${testCase}`);
  const p = await h.ports();
  const pbxMedia = await h.freePort('udp');
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const config = h.writeConfig(dir, p, mediaBase, users, false, null, spec.codecs);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);

  const { JsSIP, wrtc } = h.loadJsSip();
  const mic = h.toneSource(wrtc, kTone);
  const phones = [];
  for (let i = 0; i < (spec.phones || 1); ++i) phones.push(await startPhone(JsSIP, p, spec.register));

  const sippDone = h.startSipp(path.join(scenarios, spec.scenario), p, pbxMedia, dir,
                               ['-s', '1001', `127.0.0.1:${p.udp}`]);
  if (spec.register) {
    const sessions = await Promise.race([Promise.all(phones.map((ph) => ph.incoming)),
                                         h.sleep(15000).then(() => { throw new Error('no INVITE reached every registration'); })]);
    const s = sessions[0];
    const offer = s._request.body;
    assert(/a=setup:actpass/.test(offer), 'our offer says a=setup:actpass');
    assert(/a=fingerprint:sha-256 /.test(offer), 'our offer carries our DTLS fingerprint');
    assert(/a=candidate:/.test(offer), 'our offer carries our gathered candidates');
    const ends = sessions.map(sessionEnd);
    if (testCase === 'busy') {
      s.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    } else if (testCase === 'cancel') {
      const result = await ends[0];
      console.log(`session end: ${JSON.stringify(result)}`);
      assert.strictEqual(result.cause, JsSIP.C.causes.CANCELED, 'the PBX\'s CANCEL reached the browser');
    } else {
      const confirmed = new Promise((resolve) => s.on('confirmed', resolve));
      s.answer({ mediaStream: mic.stream, pcConfig: { iceServers: [] } });
      await Promise.race([confirmed, ends[0].then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); })]);
      for (let i = 1; i < sessions.length; ++i) {
        const other = await Promise.race([ends[i], h.sleep(5000).then(() => 'still ringing')]);
        console.log(`the other registration: ${JSON.stringify(other)}`);
        assert.strictEqual(other.cause, JsSIP.C.causes.CANCELED, 'the losing fork was cancelled');
      }
      if (testCase === 'offerless_no_answer') {
        const result = await Promise.race([ends[0], h.sleep(8000).then(() => 'still up')]);
        console.log(`session end: ${JSON.stringify(result)}`);
        assert(result.originator === 'remote', 'rtcgate ended the call whose ACK had no answer with BYE');
      } else {
        await hearEcho(s, wrtc, p, spec, ends[0]);
      }
    }
  }
  const sippCode = await Promise.race([sippDone, h.sleep(20000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp scenario ${spec.scenario} passed (exit ${sippCode})`);
  if (!spec.register) assert.strictEqual(phones[0].rang(), 0, 'nothing reached the browser');
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  const metrics = (await h.get(p.http, '/metrics')).body;
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', `outcome="${spec.outcome}"`), 1,
                     `one call counted as ${spec.outcome}`);
  assert.strictEqual(h.metric(metrics, 'rtcgate_calls_active'), 0);
  mic.stop();
  for (const ph of phones) ph.ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

// The answered call: the browser's tone comes back through the PBX's echo, then one side hangs up.
async function hearEcho(s, wrtc, p, spec, end) {
  const receiver = s.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  assert(receiver, 'the browser has an audio receiver');
  const heard = h.listen(wrtc, receiver.track);
  const calls = await h.activeCalls(p.http);
  assert.strictEqual(calls.length, 1, 'the answered call is listed in /api/calls');
  await h.sleep(4000);
  const listed = await h.activeCalls(p.http);
  console.log(`/api/calls: ${JSON.stringify(listed)}`);
  if (spec.codecs) {
    // The PBX offered PCMU, the browser was offered (and answered) Opus only: transcoded.
    assert(!/PCMU/.test(s.connection.remoteDescription.sdp), 'rtcgate offered the browser Opus only');
    assert.strictEqual(listed[0].transcoding, true, '/api/calls says the call is transcoded');
    const codecs = listed[0].legs.map((l) => `${l.kind}:${l.codec}`).sort();
    assert(codecs[0].startsWith('legacy:PCMU/8000') && /^web:opus\/48000/i.test(codecs[1]), `legs ${codecs}`);
  }
  await h.expectTone(s.connection, heard, kTone);
  if (testCase === 'offerless') {
    // The legacy leg's codec is known only from the answer in the PBX's ACK.
    const codecs = listed[0].legs.map((l) => `${l.kind}:${l.codec}`).sort();
    assert.deepStrictEqual(codecs, ['legacy:PCMU/8000', 'web:PCMU/8000'], `legs ${codecs}`);
  }
  heard.stop();
  if (testCase === 'pbx_hangs_up') {
    const result = await end;
    assert.strictEqual(result.originator, 'remote', 'the PBX hung up and rtcgate relayed the BYE');
  } else {
    s.terminate();
    const result = await end;
    assert.strictEqual(result.originator, 'local');
  }
}

h.runCase(testCase, main, () => dir && h.dumpLogs(dir));
