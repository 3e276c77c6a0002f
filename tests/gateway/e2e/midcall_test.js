// End-to-end mid-call requests through a real rtcgate: JsSIP on @roamhq/wrtc (libwebrtc) calls a
// SIPp UAS that echoes RTP (-rtp_echo); the scenario checks what reaches the PBX.
// Usage: node midcall_test.js RTCGATE_BINARY CASE
//   browser_hold  the browser holds (JsSIP hold(): re-INVITE with a=sendonly) and resumes; SIPp
//                 sees the re-INVITEs with a=sendonly and a=sendrecv; the echo stops reaching the
//                 browser while held and comes back after
//   pbx_hold      the PBX holds the browser (re-INVITE a=sendonly; SIPp checks the answer says
//                 recvonly) and resumes it; JsSIP reports hold and unhold from the remote side
//   ice_restart   the browser restarts ICE (re-INVITE with new ice-ufrag/pwd): rtcgate answers
//                 with new credentials of its own without a re-INVITE to the PBX; media goes on
//   info_dtmf     DTMF by SIP INFO (application/dtmf-relay) from the browser to the PBX and back
//   pbx_reinvite_without_sdp  the PBX sends a re-INVITE without SDP: SIPp checks our 2xx offers
//                 RTP/AVP and answers in the ACK; then a MESSAGE in the dialog gets 501 with an
//                 Allow listing UPDATE and INFO; media goes on
//   trickle_info  the browser's offer carries no candidates and our answer's are hidden from it:
//                 its candidates reach rtcgate only in an INFO (RFC 8840 trickle-ice), so media
//                 flows only if rtcgate applied them (our checks reach it; it learns us as
//                 peer-reflexive)
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const kTone = 440;
const [binary, testCase] = process.argv.slice(2);
const scenarios = path.join(__dirname, 'scenarios');

const cases = {
  browser_hold: 'uas_hold_resume.xml',
  pbx_hold: 'uas_pbx_holds.xml',
  ice_restart: 'uas_answer_hangup_awaited.xml',
  info_dtmf: 'uas_info_dtmf.xml',
  trickle_info: 'uas_answer_hangup_awaited.xml',
  pbx_reinvite_without_sdp: 'uas_pbx_reinvite_without_sdp.xml',
};

let dir = null;

function dumpLogs() {
  for (const name of ['rtcgate.log', 'sipp_errors.log']) {
    try {
      const lines = fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\n');
      console.error(`--- last lines of ${name}:\n${lines.slice(-30).join('\n')}`);
    } catch (e) {
      // not written in this case
    }
  }
}

function iceUfrag(sdp) {
  const m = /a=ice-ufrag:(\S+)/.exec(sdp);
  return m ? m[1] : null;
}

// Packets the browser received during `ms`.
async function receivedDuring(pc, ms) {
  const before = (await h.rtpCounts(pc)).received;
  await h.sleep(ms);
  return (await h.rtpCounts(pc)).received - before;
}

function once(emitter, event, filter = () => true) {
  return new Promise((resolve) => {
    const handler = (e) => {
      if (!filter(e)) return;
      emitter.removeListener(event, handler);
      resolve(e);
    };
    emitter.on(event, handler);
  });
}

function within(promise, ms, what) {
  return Promise.race([promise, h.sleep(ms).then(() => { throw new Error(`timed out waiting for ${what}`); })]);
}

async function main() {
  const scenario = cases[testCase];
  assert(scenario, `unknown case ${testCase}`);
  dir = h.tempDir(testCase);
  const p = await h.ports();
  const pbxMedia = await h.freePort('udp');
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const config = h.writeConfig(dir, p, mediaBase, [], false);
  const sippDone = h.startSipp(path.join(scenarios, scenario), p, pbxMedia, dir);
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

  const mic = h.toneSource(wrtc, kTone);
  const options = { mediaStream: mic.stream, pcConfig: { iceServers: [] } };
  let localCandidates = [];
  let localSdp = null;
  if (testCase === 'trickle_info') {
    options.extraHeaders = ['Recv-Info: trickle-ice'];
  }
  const session = ua.call(`sip:echo@127.0.0.1:${p.ws}`, options);
  const remoteSdps = [];
  session.on('sdp', (e) => {
    if (e.originator === 'remote') remoteSdps.push(e.sdp);
    if (testCase !== 'trickle_info') return;
    const lines = e.sdp.split('\r\n');
    if (e.originator === 'local' && !localSdp) {
      localSdp = e.sdp;
      localCandidates = lines.filter((l) => l.startsWith('a=candidate:'));
    }
    e.sdp = lines.filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
  });
  const ended = new Promise((resolve) => {
    session.on('ended', (e) => resolve({ originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => resolve({ failed: true, cause: e.cause }));
  });
  const confirmed = once(session, 'confirmed');
  await within(Promise.race([confirmed, ended.then((r) => { throw new Error(`call ended: ${JSON.stringify(r)}`); })]),
               15000, 'the call to be answered');
  const pc = session.connection;

  if (testCase === 'browser_hold') {
    assert(await receivedDuring(pc, 2000) > 50, 'the echo reaches the browser before the hold');
    // JsSIP reports 'hold' before its re-INVITE goes out; `done` runs on the 2xx.
    await within(new Promise((resolve) => session.hold({}, resolve)), 5000, 'the hold to be answered');
    await h.sleep(500);
    const held = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s while held: ${held}`);
    assert(held < 10, `no echo reaches the browser while it holds (got ${held})`);
    await within(new Promise((resolve) => session.unhold({}, resolve)), 5000, 'the resume to be answered');
    await h.sleep(500);
    const resumed = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s after resuming: ${resumed}`);
    assert(resumed > 50, 'the echo comes back after resuming');
  } else if (testCase === 'pbx_hold') {
    const hold = await within(once(session, 'hold'), 10000, 'the PBX to hold the call');
    assert.strictEqual(hold.originator, 'remote');
    const unhold = await within(once(session, 'unhold'), 10000, 'the PBX to resume the call');
    assert.strictEqual(unhold.originator, 'remote');
    await h.sleep(500);
    const resumed = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s after the PBX resumed: ${resumed}`);
    assert(resumed > 50, 'media flows after the PBX resumed');
  } else if (testCase === 'ice_restart') {
    assert(await receivedDuring(pc, 1500) > 30, 'media flows before the restart');
    const ourBefore = iceUfrag(pc.localDescription.sdp);
    const theirsBefore = iceUfrag(pc.remoteDescription.sdp);
    const done = new Promise((resolve, reject) => {
      session.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, resolve);
      session.on('failed', reject);
    });
    await within(done, 10000, 'the re-INVITE with the ICE restart to be answered');
    const ourAfter = iceUfrag(pc.localDescription.sdp);
    const theirsAfter = iceUfrag(pc.remoteDescription.sdp);
    console.log(`browser ufrag ${ourBefore} -> ${ourAfter}, rtcgate ufrag ${theirsBefore} -> ${theirsAfter}`);
    assert.notStrictEqual(ourAfter, ourBefore, 'the browser restarted ICE');
    assert.notStrictEqual(theirsAfter, theirsBefore, 'rtcgate answered with new ICE credentials');
    await h.sleep(1500);
    const after = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s after the ICE restart: ${after}`);
    assert(after > 50, 'media goes on after the ICE restart');
    const log = fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8');
    assert(/call\.ice_restarted/.test(log), 'rtcgate restarted ICE on its side');
  } else if (testCase === 'info_dtmf') {
    const dtmf = within(once(session, 'newDTMF', (e) => e.originator === 'remote'), 10000, 'the PBX\'s DTMF');
    session.sendDTMF('5', { transportType: 'INFO', duration: 160 });
    const got = await dtmf;
    console.log(`the browser got DTMF ${got.dtmf.tone} from the PBX`);
    assert.strictEqual(got.dtmf.tone, '7');
  } else if (testCase === 'pbx_reinvite_without_sdp') {
    await h.waitFor('the answer in the PBX\'s ACK', async () =>
      /event=call\.reanswered .*from=ack/.test(fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8')), 10000);
    await h.sleep(1000);
    const after = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s after the offer in our 2xx was answered: ${after}`);
    assert(after > 50, 'media goes on after the re-INVITE without SDP');
  } else if (testCase === 'trickle_info') {
    assert(localCandidates.length > 0, 'the browser gathered candidates');
    assert(!/a=candidate:/.test(pc.remoteDescription.sdp), 'our answer\'s candidates are hidden from the browser');
    const ufrag = /a=ice-ufrag:(\S+)/.exec(localSdp)[1];
    const pwd = /a=ice-pwd:(\S+)/.exec(localSdp)[1];
    const mline = /m=audio \d+ (\S+) ([0-9 ]+)/.exec(localSdp);
    const mid = (/a=mid:(\S+)/.exec(localSdp) || [null, '0'])[1];
    const body = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, `m=audio 9 ${mline[1]} ${mline[2].trim()}`, `a=mid:${mid}`,
                  ...localCandidates, 'a=end-of-candidates', ''].join('\r\n');
    const answered = new Promise((resolve) => {
      session.once('newInfo', (e) => {
        e.info.on('succeeded', (r) => resolve(r.response.status_code));
        e.info.on('failed', (r) => resolve(r.response.status_code));
      });
    });
    session.sendInfo('application/trickle-ice-sdpfrag', body, {
      extraHeaders: ['Info-Package: trickle-ice', 'Content-Disposition: Info-Package'],
    });
    assert.strictEqual(await within(answered, 5000, 'the INFO to be answered'), 200);
    await h.sleep(2500);
    const counts = await h.rtpCounts(pc);
    const got = await receivedDuring(pc, 2000);
    console.log(`after the trickle INFO: sent ${counts.sent}, received ${got} in 2 s`);
    assert(got > 50, 'media flows over the trickled candidates');
  }

  session.terminate();
  const result = await within(ended, 5000, 'the call to end');
  assert.strictEqual(result.originator, 'local');
  mic.stop();
  const sippCode = await Promise.race([sippDone, h.sleep(15000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp scenario ${scenario} passed (exit ${sippCode})`);
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

h.runCase(testCase, main, () => dir && dumpLogs());
