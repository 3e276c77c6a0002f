// End-to-end RFC 4028 session timer cases that last about a minute each: JsSIP on @roamhq/wrtc
// calls through a real rtcgate to a SIPp UAS (the PBX) that echoes RTP (-rtp_echo).
// Usage: node --experimental-websocket session_test.js RTCGATE_BINARY CASE
//   session_expiry            the PBX answers with Session-Expires: 90;refresher=uas and never
//                             refreshes: rtcgate ends the call with BYE on both legs 60 s after the
//                             answer (RFC 4028 §10: 90 - min(32, 90/3)), never at 90 s, while the
//                             browser keeps refreshing its own leg
//   session_refresh_reinvite  the PBX's 200 lists no UPDATE in Allow and leaves the 90 s timer to
//                             rtcgate: the refresh at 45 s is a re-INVITE with rtcgate's SDP
//                             unchanged (SIPp checks the o= line and Session-Expires, answers 200
//                             with SDP and expects the ACK); the echoed tone goes on after it, then
//                             the browser hangs up
//   session_refresh_update_refused  the same with a PBX whose 200 has no Allow: rtcgate's UPDATE at
//                             45 s gets 501 and the re-INVITE follows at once
// Each case ends with no call in /api/calls, no media session or port in use, one answered call.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const [binary, testCase] = process.argv.slice(2);
const scenarios = path.join(__dirname, 'scenarios');
const cases = {
  session_expiry: { scenario: 'uas_session_expiry.xml', sippTimeout: '90s', limitMs: 85000 },
  session_refresh_reinvite: { scenario: 'uas_session_refresh_reinvite.xml', sippTimeout: '75s', limitMs: 75000 },
  session_refresh_update_refused: { scenario: 'uas_session_refresh_update_refused.xml', sippTimeout: '75s',
                                    limitMs: 75000, updateFirst: true },
};
let dir = null;

const rtcgateLog = () => fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8');

// Milliseconds between the first log line matching `from` and the first after it matching `to`,
// read from rtcgate's own timestamps (ISO 8601 with milliseconds at the start of each line).
function logGap(from, to) {
  const lines = rtcgateLog().split('\n');
  const start = lines.findIndex((l) => from.test(l));
  assert(start >= 0, `rtcgate logged ${from}`);
  const end = lines.findIndex((l, i) => i > start && to.test(l));
  assert(end >= 0, `rtcgate logged ${to}`);
  return Date.parse(lines[end].split(' ')[0]) - Date.parse(lines[start].split(' ')[0]);
}

async function sessionExpiry(p, sippDone, call, since) {
  const pbx = sippDone.then((code) => ({ code, at: since() }));
  const ended = await Promise.race([call.end.then((r) => ({ ...r, at: since() })), h.sleep(80000).then(() => null)]);
  assert(ended, 'rtcgate ended the call within 80 s');
  console.log(`the browser got BYE ${ended.at} ms after its 200: ${JSON.stringify(ended)}`);
  assert.strictEqual(ended.kind, 'ended');
  assert.strictEqual(ended.originator, 'remote', 'rtcgate sent the browser BYE');
  const sipp = await Promise.race([pbx, h.sleep(5000).then(() => ({ code: 'timeout' }))]);
  console.log(`SIPp (the PBX) got BYE and exited ${sipp.code} ${sipp.at} ms after the browser's 200`);
  assert.strictEqual(sipp.code, 0, 'the PBX got BYE, and no refresh before it');
  const expired = logGap(/event=call.pbx_answered/, /event=call.session_expired .*leg=legacy/);
  console.log(`rtcgate: the legacy session expired ${expired} ms after the PBX's 200`);
  assert(expired >= 59500 && expired < 62500, `expiry at 60 s after the 200 (${expired} ms)`);
  // The browser's 200 follows the PBX's by the time its answer took; both BYEs follow the expiry.
  for (const [who, at] of [['browser', ended.at], ['PBX', sipp.at]])
    assert(at > 56000 && at < 65000, `the ${who}'s BYE about 60 s after the answer, long before 90 s (${at} ms)`);
  assert(/event=call.session_refreshed .*leg=web by=peer/.test(rtcgateLog()),
         'the browser refreshed its own leg meanwhile: only the silent PBX leg expired');
  call.mic.stop();
}

async function refreshReinvite(p, sippDone, call, since, wrtc, updateFirst) {
  const refreshed = /event=call.session_refreshed .*leg=legacy by=us method=INVITE sdp=true/;
  await h.waitFor('the PBX leg refreshed by a re-INVITE', async () => refreshed.test(rtcgateLog()), 52000);
  console.log(`the re-INVITE refresh was answered ${since()} ms after the browser's 200`);
  const first = logGap(/event=call.pbx_answered/, /event=call.session_refresh .*leg=legacy/);
  const sent = logGap(/event=call.pbx_answered/, /event=call.session_refresh .*leg=legacy method=INVITE/);
  console.log(`rtcgate: first refresh ${first} ms, re-INVITE ${sent} ms after the PBX's 200`);
  assert(first >= 44500 && first < 47500, `the refresh at half the interval (${first} ms)`);
  const update = /event=call.session_refresh .*leg=legacy method=UPDATE/.test(rtcgateLog());
  if (updateFirst) {
    assert(update, 'an UPDATE first: nothing said the PBX takes none');
    assert(/event=call.session_refresh_failed .*leg=legacy method=UPDATE code=501 next=use_reinvite/.test(rtcgateLog()),
           'the 501 to the UPDATE turned the refresh into a re-INVITE');
    assert(sent - first < 1000, `the re-INVITE at once after the 501 (${sent - first} ms)`);
  } else {
    assert(!update, 'no UPDATE to a PBX whose Allow leaves it out');
    assert.strictEqual(sent, first, 'the first refresh is the re-INVITE');
  }
  const after = await h.stillHears(wrtc, call, 3000);
  console.log(`after the refresh the browser received ${after.received} RTP packets, tone share ${after.share.toFixed(3)}`);
  assert(after.received > 100, 'RTP still flows after the re-INVITE');
  assert(after.share > 0.3, 'the echoed tone still comes back after the re-INVITE');
  assert.strictEqual((await h.activeCalls(p.http)).length, 1, 'the call is still up');
  call.session.terminate();
  assert.strictEqual((await call.end).originator, 'local');
  const code = await Promise.race([sippDone, h.sleep(10000).then(() => 'timeout')]);
  assert.strictEqual(code, 0, 'SIPp checked the re-INVITE, got its ACK and the BYE');
  call.mic.stop();
}

async function main() {
  const spec = cases[testCase];
  assert(spec, `unknown case ${testCase}`);
  dir = h.tempDir(testCase);
  console.log(`case ${testCase}: logs in ${dir}`);
  const p = await h.ports();
  const pbxMedia = await h.freePort('udp');
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  const sippDone = h.startSipp(path.join(scenarios, spec.scenario), p, pbxMedia, dir, ['-timeout', spec.sippTimeout]);
  h.startRtcgate(binary, h.writeConfig(dir, p, mediaBase), dir);
  await h.waitHealthy(p.http);
  const { JsSIP, wrtc } = h.loadJsSip();
  const call = await h.answeredCall(JsSIP, wrtc, p, 'echo');
  const answered = Date.now();
  const since = () => Date.now() - answered;
  if (testCase === 'session_expiry') await sessionExpiry(p, sippDone, call, since);
  else await refreshReinvite(p, sippDone, call, since, wrtc, spec.updateFirst);
  await h.expectClean(p, 'answered');
  call.ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

h.runCase(testCase, main, () => dir && h.dumpLogs(dir), (cases[testCase] || {}).limitMs);
