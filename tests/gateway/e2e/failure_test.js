// End-to-end failures through a real rtcgate: each must end with the right response (or BYE) on both
// legs and leave no call in /api/calls, no media session and no legacy RTP port behind
// (rtcgate_media_sessions / rtcgate_media_ports_in_use back to 0).
// Usage: node --experimental-websocket failure_test.js RTCGATE_BINARY CASE
//   pbx_down_udp     nothing listens at [pbx] uri (UDP): the browser gets 408 or 503 within timer B
//   pbx_down_tcp     the same over TCP: the refused connection fails the call at once (503)
//   browser_frozen   the browser's process stops mid-call (SIGSTOP: no BYE, no DTLS close, its
//                    WebSocket still open): ICE consent freshness ends the call, the PBX (a SIPp UAS
//                    expecting BYE) gets BYE within 30 s
//   browser_killed   the browser's process is killed mid-call (SIGKILL): its WebSocket closes, the
//                    PBX gets BYE
//   malformed_sip    while a call is up, garbage and requests missing mandatory headers arrive over
//                    a second WebSocket and over the call's own: 400 or silence, no call created, and
//                    the call's audio goes on
//   other_call_fails two calls up; the second one's DTLS fails (wrong fingerprint) and rtcgate ends
//                    it; the first one's audio goes on
// A browser that must be stopped or killed runs in a child process (this file with --peer).
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const kTone = 440;
const scenarios = path.join(__dirname, 'scenarios');
const rand = () => crypto.randomBytes(8).toString('hex');
let dir = null;

async function pbxDown(binary, p, mediaBase, transport) {
  if (transport === 'tcp') p.pbxUri = `sip:127.0.0.1:${await h.freePort('tcp')};transport=tcp`;
  const config = h.writeConfig(dir, p, mediaBase);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  const { JsSIP, wrtc } = h.loadJsSip();
  const { ua } = await h.connectUa(JsSIP, p.ws);
  const mic = h.toneSource(wrtc, kTone);
  const started = Date.now();
  const session = ua.call(`sip:echo@127.0.0.1:${p.ws}`, { mediaStream: mic.stream, pcConfig: { iceServers: [] } });
  const result = await h.sessionEnd(session);
  const took = Date.now() - started;
  console.log(`PBX down over ${transport}: ${JSON.stringify(result)} after ${took} ms`);
  assert.strictEqual(result.kind, 'failed');
  if (transport === 'tcp') {
    assert.strictEqual(result.status, 503, 'a refused TCP connection is a transport error: 503');
    assert(took < 5000, `a refused connection fails the call at once (${took} ms)`);
  } else {
    assert([408, 503].includes(result.status), `408 or 503 (got ${result.status})`);
    assert(took < 40000, 'within timer B');
  }
  mic.stop();
  await h.expectClean(p, null);
  ua.stop();
}

// A browser in a child process that the test can stop or kill: it reports `confirmed` over IPC.
function startPeerProcess(p, user) {
  const child = spawn(process.execPath, ['--experimental-websocket', __filename, '--peer', String(p.ws), user],
                      { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  h.track(child, 'browser', path.join(dir, 'browser.log'));
  return new Promise((resolve, reject) => {
    child.on('message', (m) => { if (m === 'confirmed') resolve(child); });
    child.on('exit', (code) => reject(new Error(`browser process exited (${code}) before the call was answered`)));
  });
}

async function runPeer(wsPort, user) {
  const { JsSIP, wrtc } = h.loadJsSip();
  const call = await h.answeredCall(JsSIP, wrtc, { ws: wsPort }, user);
  process.send('confirmed');
  await call.end;
}

async function browserGone(binary, p, mediaBase, signal) {
  const pbxMedia = await h.freePort('udp');
  const sippDone = h.startSipp(path.join(scenarios, 'uas_ringing_answer.xml'), p, pbxMedia, dir);
  h.startRtcgate(binary, h.writeConfig(dir, p, mediaBase), dir);
  await h.waitHealthy(p.http);
  const child = await startPeerProcess(p, 'pbx');
  await h.sleep(2000);
  assert.strictEqual((await h.activeCalls(p.http)).length, 1, 'the call is up');
  const started = Date.now();
  child.kill(signal);
  const code = await Promise.race([sippDone, h.sleep(35000).then(() => 'timeout')]);
  const took = Date.now() - started;
  console.log(`the PBX got its BYE ${took} ms after the browser ${signal === 'SIGSTOP' ? 'froze' : 'was killed'}`);
  assert.strictEqual(code, 0, 'the PBX leg got BYE (SIPp scenario passed)');
  assert(took < 30000, `BYE within 30 s (${took} ms)`);
  const log = fs.readFileSync(path.join(dir, 'rtcgate.log'), 'utf8');
  // libnice reports lost consent (RFC 7675, no answer to its checks for 10 s) as ICE failed.
  if (signal === 'SIGSTOP') {
    assert(/event=call.media_failed .*reason="(ICE consent lost|ICE failed)"/.test(log),
           'rtcgate ended the call because the browser stopped answering ICE consent checks');
  }
  await h.expectClean(p, 'answered');
  child.kill('SIGKILL');
}

// Raw SIP over a WebSocket of its own: what comes back within `ms` (responses only).
function rawWs(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    const messages = [];
    let closed = false;
    ws.onmessage = (e) => messages.push(String(e.data));
    ws.onclose = () => { closed = true; };
    ws.onopen = () => resolve({
      messages,
      closed: () => closed,
      send: (text) => ws.send(text),
      close: () => ws.close(),
    });
    ws.onerror = () => reject(new Error('WebSocket to rtcgate failed'));
  });
}

function invite(p, omit = [], extra = []) {
  const callId = rand();
  const headers = {
    Via: `SIP/2.0/WS ${rand()}.invalid;branch=z9hG4bK${rand()}`,
    'Max-Forwards': '70',
    To: '<sip:echo@127.0.0.1>',
    From: `<sip:mallory@127.0.0.1>;tag=${rand()}`,
    'Call-ID': callId,
    CSeq: '1 INVITE',
    Contact: `<sip:mallory@${rand()}.invalid;transport=ws>`,
  };
  const lines = [`INVITE sip:echo@127.0.0.1:${p.ws} SIP/2.0`];
  for (const [name, value] of Object.entries(headers)) if (!omit.includes(name)) lines.push(`${name}: ${value}`);
  lines.push(...extra);
  if (!extra.some((l) => l.startsWith('Content-Length'))) lines.push('Content-Length: 0');
  return { text: lines.join('\r\n') + '\r\n\r\n', callId };
}

async function malformedSip(binary, p, mediaBase) {
  h.startRtcgate(binary, h.writeConfig(dir, p, mediaBase, [], true), dir);
  await h.waitHealthy(p.http);
  const { JsSIP, wrtc } = h.loadJsSip();
  const call = await h.answeredCall(JsSIP, wrtc, p, 'echo');
  const cases = [
    { name: 'binary garbage', text: crypto.randomBytes(300).toString('latin1') },
    { name: 'text garbage', text: 'HELLO THERE\r\n\r\n' },
    { name: 'no request line', text: 'Via: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nCall-ID: x\r\n\r\n' },
    { name: 'bad request URI', text: invite(p).text.replace(/^INVITE \S+/, 'INVITE not-a-uri') },
    { name: 'no Call-ID', ...invite(p, ['Call-ID']) },
    { name: 'no CSeq', ...invite(p, ['CSeq']) },
    { name: 'no From', ...invite(p, ['From']) },
    { name: 'no To', ...invite(p, ['To']) },
    { name: 'no Via', ...invite(p, ['Via']) },
    { name: 'CSeq method mismatch', ...invite(p, ['CSeq'], ['CSeq: 1 BYE']) },
    { name: 'Content-Length past the body', ...invite(p, [], ['Content-Type: application/sdp', 'Content-Length: 500']) },
    { name: 'a response to nothing', text: 'SIP/2.0 200 OK\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bKnothing\r\n' +
      'From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>;tag=2\r\nCall-ID: nothing\r\nCSeq: 1 INVITE\r\n' +
      'Content-Length: 0\r\n\r\n' },
  ];
  let ws = await rawWs(p.ws);
  for (const c of cases) {
    if (ws.closed()) ws = await rawWs(p.ws);
    const before = ws.messages.length;
    ws.send(c.text);
    await h.sleep(300);
    const replies = ws.messages.slice(before).filter((m) => m.startsWith('SIP/2.0 '));
    const statuses = replies.map((m) => Number(m.split(' ')[1]));
    console.log(`${c.name}: ${statuses.length ? statuses.join(', ') : 'no response'}${ws.closed() ? ', WebSocket closed' : ''}`);
    assert(statuses.every((s) => s === 400), `${c.name}: only 400 or silence (got ${statuses})`);
    const calls = await h.activeCalls(p.http);
    assert.strictEqual(calls.length, 1, `${c.name}: no call created, the call still up`);
  }
  // The call's own WebSocket gets garbage too: the flow and its dialog must survive it.
  call.socket._ws.send('this is not SIP\r\n\r\n');
  call.socket._ws.send(invite(p, ['Call-ID']).text);
  await h.sleep(500);
  ws.close();
  const after = await h.stillHears(wrtc, call, 3000);
  console.log(`after the malformed messages the call received ${after.received} RTP packets, ` +
              `tone share ${after.share.toFixed(3)}`);
  assert(after.received > 100, 'RTP still flows');
  assert(after.share > 0.3, 'the echoed tone still comes back');
  call.session.terminate();
  assert.strictEqual((await call.end).originator, 'local');
  call.mic.stop();
  await h.expectClean(p, 'answered', 1);
  call.ua.stop();
}

async function otherCallFails(binary, p, mediaBase) {
  h.startRtcgate(binary, h.writeConfig(dir, p, mediaBase, [], true), dir);
  await h.waitHealthy(p.http);
  const { JsSIP, wrtc } = h.loadJsSip();
  const good = await h.answeredCall(JsSIP, wrtc, p, 'echo');
  const bad = await h.answeredCall(JsSIP, wrtc, p, 'echo', { badFingerprint: true });
  const failed = await Promise.race([bad.end, h.sleep(20000).then(() => 'still up')]);
  console.log(`the second call: ${JSON.stringify(failed)}`);
  assert.strictEqual(failed.originator, 'remote', 'rtcgate ended the call whose DTLS failed (BYE, or a final error)');
  bad.mic.stop();
  assert.strictEqual((await h.activeCalls(p.http)).length, 1, 'only the good call is left');
  const after = await h.stillHears(wrtc, good, 3000);
  console.log(`after the other call failed the good call received ${after.received} RTP packets, ` +
              `tone share ${after.share.toFixed(3)}`);
  assert(after.received > 100, 'RTP still flows on the good call');
  assert(after.share > 0.3, 'the good call still hears its echoed tone');
  good.session.terminate();
  assert.strictEqual((await good.end).originator, 'local');
  good.mic.stop();
  await h.expectClean(p, 'answered', failed.kind === 'ended' ? 2 : 1);
  good.ua.stop();
  bad.ua.stop();
}

async function main(binary, testCase) {
  dir = h.tempDir(`failure-${testCase}`);
  const p = await h.ports();
  const mediaBase = 30000 + 2 * (process.pid % 5000);
  console.log(`case ${testCase}: logs in ${dir}`);
  if (testCase === 'pbx_down_udp') await pbxDown(binary, p, mediaBase, 'udp');
  else if (testCase === 'pbx_down_tcp') await pbxDown(binary, p, mediaBase, 'tcp');
  else if (testCase === 'browser_frozen') await browserGone(binary, p, mediaBase, 'SIGSTOP');
  else if (testCase === 'browser_killed') await browserGone(binary, p, mediaBase, 'SIGKILL');
  else if (testCase === 'malformed_sip') await malformedSip(binary, p, mediaBase);
  else if (testCase === 'other_call_fails') await otherCallFails(binary, p, mediaBase);
  else throw new Error(`unknown case ${testCase}`);
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

if (process.argv[2] === '--peer') {
  runPeer(Number(process.argv[3]), process.argv[4]).then(() => process.exit(0), (e) => {
    console.error(`browser: ${e.stack || e}`);
    process.exit(1);
  });
} else {
  const [binary, testCase] = process.argv.slice(2);
  setTimeout(() => {
    console.error(`case ${testCase}: deadline exceeded`);
    if (dir) h.dumpLogs(dir);
    process.exit(1);
  }, 57000).unref();
  main(binary, testCase).catch((e) => {
    console.error(`case ${testCase}: FAILED: ${e.stack || e}`);
    if (dir) h.dumpLogs(dir);
    process.exit(1);
  });
}
