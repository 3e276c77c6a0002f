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
//   glare         the browser holds and, while its re-INVITE waits at the PBX, the PBX sends a hold
//                 of its own: SIPp gets 491 once (its ACK ends the retransmissions), then answers
//                 the browser's hold, which takes effect (no echo); its hold retried after a pause
//                 reaches the browser, which answers it (RFC 3261 §14.1)
//   glare_browser_hold  the PBX holds, and the re-INVITE rtcgate relays to the browser is held back
//                 on the browser's WebSocket while the browser holds (the two re-INVITEs cross):
//                 the browser gets 491; JsSIP ends a call whose hold failed (BYE), so the PBX gets
//                 BYE and 487 for its pending re-INVITE, and the late re-INVITE gets 481
//   glare_pbx_refuses  the browser holds and the PBX answers the relayed hold 491 (it had an offer of
//                 its own out): rtcgate sends the hold again itself after the 2.1-4 s wait of the
//                 Call-ID's owner (§14.1), in a new transaction, and the browser only sees its hold
//                 answered (recvonly, no echo) — never the 491
//   reinvite_while_pending  the PBX holds and at once sends another re-INVITE: that one gets 500
//                 with a Retry-After of 0..10 s (§14.2) and never reaches the browser; the hold
//                 does, and so does the PBX's resume after the Retry-After; media comes back
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
  glare: 'uas_glare.xml',
  glare_browser_hold: 'uas_glare_browser_hold.xml',
  reinvite_while_pending: 'uas_reinvite_while_pending.xml',
  glare_pbx_refuses: 'uas_glare_pbx_refuses.xml',
};

// The cases whose SIPp keeps a log of every message (-trace_msg): the retransmissions of a final
// response we count there show whether rtcgate took the ACK of it.
const tracedCases = new Set(['glare', 'glare_browser_hold', 'reinvite_while_pending', 'glare_pbx_refuses']);

let dir = null;

// The responses with `status` SIPp received, from its message log (-trace_msg).
function sippReceived(status) {
  const log = fs.readFileSync(path.join(dir, 'sipp_messages.log'), 'utf8');
  return log.split(/^-{20,}/m).map((entry) => entry.replace(/^[^\n]*\n/, ''))
    .filter((entry) => new RegExp(`message received \\[\\d+\\] bytes :\\s+SIP/2\\.0 ${status} `).test(entry));
}

// The requests of a method SIPp received, oldest first.
function sippReceivedRequests(method) {
  const log = fs.readFileSync(path.join(dir, 'sipp_messages.log'), 'utf8');
  return log.split(/^-{20,}/m).map((entry) => entry.replace(/^[^\n]*\n/, ''))
    .filter((entry) => new RegExp(`message received \\[\\d+\\] bytes :\\s+${method} `).test(entry));
}

function rtcgateLog() {
  return fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8');
}

// JsSIP's WebSocket, tapped: every message it sends and gets, and the next INVITE rtcgate sends it
// held back until release(): two re-INVITEs that cross on the wire, made deterministic.
function tapWebSocket(socket) {
  const tap = { sent: [], received: [], holdInvite: false, held: null };
  let deliver = () => {};
  const send = socket.send.bind(socket);
  socket.send = (message) => {
    tap.sent.push(String(message));
    return send(message);
  };
  Object.defineProperty(socket, 'ondata', {
    configurable: true,
    get: () => (data) => {
      const text = String(data);
      if (tap.holdInvite && text.startsWith('INVITE ')) {
        tap.holdInvite = false;
        tap.held = data;
        return;
      }
      tap.received.push(text);
      deliver(data);
    },
    set: (fn) => { deliver = fn; },
  });
  tap.release = () => {
    const data = tap.held;
    tap.held = null;
    tap.received.push(String(data));
    deliver(data);
  };
  return tap;
}

// Final responses to INVITE among `messages`, as status codes.
function inviteFinals(messages) {
  return messages.filter((m) => /^SIP\/2\.0 [2-6]\d\d /.test(m) && /\r\nCSeq:\s*\d+\s+INVITE\r\n/i.test(m))
    .map((m) => Number(m.slice(8, 11)));
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
  const sippDone = h.startSipp(path.join(scenarios, scenario), p, pbxMedia, dir, tracedCases.has(testCase)
    ? ['-trace_msg', '-message_file', path.join(dir, 'sipp_messages.log')] : []);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);

  const { JsSIP, wrtc } = h.loadJsSip();
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`);
  const wire = tapWebSocket(socket);
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
  const reinvites = [];
  session.on('reinvite', (e) => reinvites.push(e.request.body || ''));
  const remoteHold = once(session, 'hold', (e) => e.originator === 'remote');
  const remoteUnhold = once(session, 'unhold', (e) => e.originator === 'remote');
  let endedByCase = false;

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
  } else if (testCase === 'glare') {
    assert(await receivedDuring(pc, 2000) > 50, 'the echo reaches the browser before the hold');
    // SIPp answers this hold only after its own hold got 491 and was ACKed (uas_glare.xml).
    await within(new Promise((resolve) => session.hold({}, resolve)), 5000, 'the browser\'s hold to be answered');
    assert(/a=recvonly/.test(pc.remoteDescription.sdp), 'the hold is answered recvonly, as the PBX answered it');
    await h.sleep(300);
    const held = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s while the browser holds: ${held}`);
    assert(held < 10, `the browser's hold took effect: no echo reaches it (got ${held})`);
    await within(remoteHold, 10000, 'the PBX\'s retried hold to reach the browser');
    await h.waitFor('rtcgate to answer the PBX with the browser\'s answer', async () =>
      /event=call\.reanswered .*from=pbx relayed=true/.test(rtcgateLog()), 5000);
    assert.deepStrictEqual(session.isOnHold(), { local: true, remote: true });
    assert(/a=recvonly/.test(pc.localDescription.sdp), 'the browser answered the PBX\'s hold recvonly');
    assert.strictEqual(reinvites.length, 1, 'only the retried hold reached the browser');
    assert(/a=sendonly/.test(reinvites[0]), 'the PBX\'s hold reached the browser as a=sendonly');
  } else if (testCase === 'glare_pbx_refuses') {
    assert(await receivedDuring(pc, 2000) > 50, 'the echo reaches the browser before the hold');
    const mark = wire.received.length;
    const started = Date.now();
    await within(new Promise((resolve) => session.hold({}, resolve)), 10000, 'the browser\'s hold to be answered');
    const took = Date.now() - started;
    console.log(`the browser's hold was answered after ${took} ms`);
    assert.deepStrictEqual(inviteFinals(wire.received.slice(mark)), [200], 'the browser sees only the 200, not the 491');
    assert(/a=recvonly/.test(pc.remoteDescription.sdp), 'the hold is answered recvonly, as the PBX answered it');
    const retry = /event=call\.reoffer_glare .*to=pbx retry_in_ms=(\d+)/.exec(rtcgateLog());
    assert(retry, 'rtcgate logged its retry after the 491');
    const wait = Number(retry[1]);
    console.log(`rtcgate retried its re-INVITE after ${wait} ms`);
    assert(wait >= 2100 && wait <= 4000, 'the Call-ID owner waits 2.1-4 s (RFC 3261 §14.1)');
    assert(took >= wait, 'the hold was answered after the wait');
    await h.sleep(300);
    const held = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s while the browser holds: ${held}`);
    assert(held < 10, `the browser's hold took effect: no echo reaches it (got ${held})`);
  } else if (testCase === 'glare_browser_hold') {
    wire.holdInvite = true;  // before the PBX's hold (uas_glare_browser_hold.xml pauses 2.5 s)
    assert(await receivedDuring(pc, 1500) > 30, 'media flows before the holds');
    await h.waitFor('rtcgate to relay the PBX\'s hold', async () => wire.held, 10000);
    assert(/a=sendonly/.test(String(wire.held)), 'the PBX\'s hold is relayed with a=sendonly');
    const mark = wire.received.length;
    assert.strictEqual(session.hold(), true, 'JsSIP holds: it has not seen the PBX\'s re-INVITE');
    const finals = await h.waitFor('the answer to the browser\'s hold', async () => {
      const got = inviteFinals(wire.received.slice(mark));
      return got.length ? got : null;
    }, 5000);
    console.log(`the browser's hold was answered ${finals.join(', ')}`);
    assert.deepStrictEqual(finals, [491], 'glare: the browser\'s re-INVITE gets 491 (RFC 3261 §14.2)');
    const result = await within(ended, 5000, 'JsSIP to end the call');
    console.log(`JsSIP ended the call: ${JSON.stringify(result)}`);
    assert.strictEqual(result.originator, 'local');
    assert.strictEqual(result.cause, JsSIP.C.causes.WEBRTC_ERROR, 'JsSIP ends a call whose hold failed');
    assert(wire.sent.some((m) => m.startsWith('BYE ')), 'JsSIP sent BYE');
    endedByCase = true;
    // The held re-INVITE arrives at last, after the dialog is gone.
    const sentMark = wire.sent.length;
    wire.release();
    const late = await h.waitFor('the browser\'s answer to the late re-INVITE', async () => {
      const got = inviteFinals(wire.sent.slice(sentMark));
      return got.length ? got : null;
    }, 5000);
    assert.deepStrictEqual(late, [481], 'the late re-INVITE finds no dialog');
    assert.strictEqual(reinvites.length, 0, 'the session never saw the PBX\'s re-INVITE');
  } else if (testCase === 'reinvite_while_pending') {
    await within(remoteHold, 10000, 'the PBX\'s hold to reach the browser');
    // SIPp waits the Retry-After (up to 10 s) of the 500 before it resumes.
    await within(remoteUnhold, 20000, 'the PBX\'s resume to reach the browser');
    await h.sleep(500);
    const resumed = await receivedDuring(pc, 2000);
    console.log(`packets received in 2 s after the PBX resumed: ${resumed}`);
    assert(resumed > 50, 'media flows after the PBX resumed');
    assert.strictEqual(reinvites.length, 2, 'the re-INVITE refused with 500 never reached the browser');
    assert(/a=sendonly/.test(reinvites[0]) && /a=sendrecv/.test(reinvites[1]), 'the hold, then the resume');
    const offers = rtcgateLog().match(/event=call\.reoffer .*from=pbx/g) || [];
    assert.strictEqual(offers.length, 2, 'rtcgate handled two offers from the PBX, not three');
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

  if (!endedByCase) {
    session.terminate();
    const result = await within(ended, 5000, 'the call to end');
    assert.strictEqual(result.originator, 'local');
  }
  mic.stop();
  const sippCode = await Promise.race([sippDone, h.sleep(15000).then(() => 'timeout')]);
  assert.strictEqual(sippCode, 0, `SIPp scenario ${scenario} passed (exit ${sippCode})`);
  if (testCase === 'glare') {
    // A 491 sent again would mean rtcgate did not match SIPp's ACK to its server transaction.
    assert.strictEqual(sippReceived(491).length, 1, 'SIPp got 491 once: its ACK was taken');
  } else if (testCase === 'glare_pbx_refuses') {
    const invites = sippReceivedRequests('INVITE').map((m) => Number(/\nCSeq:\s*(\d+)\s+INVITE/i.exec(m)[1]));
    console.log(`CSeq of the INVITEs SIPp received: ${invites.join(', ')}`);
    assert.strictEqual(invites.length, 3, 'the call\'s INVITE, the hold and the hold sent again');
    assert(invites[2] > invites[1], 'the hold is sent again in a new transaction (a higher CSeq)');
  } else if (testCase === 'glare_browser_hold') {
    assert.strictEqual(sippReceived(487).length, 1, 'SIPp got 487 once: its ACK was taken');
  } else if (testCase === 'reinvite_while_pending') {
    const busy = sippReceived(500);
    assert.strictEqual(busy.length, 1, 'SIPp got 500 once: its ACK was taken');
    const retryAfter = /\r?\nRetry-After:\s*(\d+)\s*\r?\n/i.exec(busy[0]);
    assert(retryAfter && Number(retryAfter[1]) <= 10, 'the 500 carries a Retry-After of 0..10 s');
    console.log(`the PBX's second re-INVITE got 500 with Retry-After: ${retryAfter[1]}`);
  }
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

h.runCase(testCase, main, () => dir && h.dumpLogs(dir));
