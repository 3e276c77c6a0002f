// Requests a browser could send over SIP/WebSocket that rtcgate must refuse or answer without a
// call, each written by hand so the test controls every byte; and a PBX that never answers.
// Usage: node --experimental-websocket sip_test.js RTCGATE_BINARY CASE
//   malformed_sdp    an INVITE whose body is not SDP: 400, no call left
//   no_common_codec  a WebRTC offer with Opus only while the PBX leg allows G.711 only: 488
//   options          OPTIONS outside a dialog: 200 with Allow
//   pbx_silent       a valid offer, the PBX address swallows everything: 408 after timer B (32 s)
//   session_too_short  a valid offer asking for Session-Expires: 60: 422 with Min-SE: 90 (RFC 4028
//                    §9), nothing allocated
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const dgram = require('dgram');
const h = require('./harness');

const [binary, testCase] = process.argv.slice(2);
const rand = () => crypto.randomBytes(8).toString('hex');

function webrtcOffer(codecs) {
  const pts = codecs.map((c) => c.pt).join(' ');
  const lines = [
    'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
    `m=audio 40000 UDP/TLS/RTP/SAVPF ${pts}`, 'c=IN IP4 127.0.0.1', 'a=rtcp:9 IN IP4 0.0.0.0',
    'a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 ' + Array.from(crypto.randomBytes(32)).map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':'),
    'a=setup:actpass', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
  ];
  for (const c of codecs) lines.push(`a=rtpmap:${c.pt} ${c.rtpmap}`);
  return lines.join('\r\n') + '\r\n';
}

function request(method, p, body, contentType, extra = []) {
  const callId = rand();
  const lines = [
    `${method} sip:echo@127.0.0.1:${p.ws} SIP/2.0`, `Via: SIP/2.0/WS ${rand()}.invalid;branch=z9hG4bK${rand()}`,
    'Max-Forwards: 70', `To: <sip:echo@127.0.0.1>`, `From: <sip:alice@127.0.0.1>;tag=${rand()}`, `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`, `Contact: <sip:alice@${rand()}.invalid;transport=ws>`, ...extra,
  ];
  if (body) lines.push(`Content-Type: ${contentType}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body || '')}`, '', body || '');
  return { text: lines.join('\r\n'), callId };
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    const messages = [];
    const waiters = [];
    ws.onmessage = (e) => {
      messages.push(String(e.data));
      for (const w of waiters.splice(0)) w();
    };
    ws.onopen = () => resolve({
      send: (text) => ws.send(text),
      close: () => ws.close(),
      async finalResponse(callId, timeoutMs) {
        const end = Date.now() + timeoutMs;
        for (;;) {
          const found = messages.find((m) => m.startsWith('SIP/2.0 ') && m.includes(callId) && !/^SIP\/2.0 1\d\d/.test(m));
          if (found) return found;
          if (Date.now() > end) throw new Error(`no final response; got ${JSON.stringify(messages)}`);
          await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
        }
      },
    });
    ws.onerror = () => reject(new Error('WebSocket to rtcgate failed'));
  });
}

const status = (response) => Number(response.split(' ')[1]);

async function main() {
  const dir = h.tempDir(testCase);
  const p = await h.ports();
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000));
  let silent = null;
  if (testCase === 'pbx_silent') {
    silent = dgram.createSocket('udp4');
    await new Promise((resolve) => silent.bind(p.pbx, '127.0.0.1', resolve));
  }
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);
  const ws = await connect(p.ws);
  let outcome = null;
  if (testCase === 'malformed_sdp') {
    const r = request('INVITE', p, 'v=0\r\nthis is not a session description\r\n', 'application/sdp');
    ws.send(r.text);
    assert.strictEqual(status(await ws.finalResponse(r.callId, 5000)), 400);
    outcome = 'refused';
  } else if (testCase === 'no_common_codec') {
    const r = request('INVITE', p, webrtcOffer([{ pt: 111, rtpmap: 'opus/48000/2' }]), 'application/sdp');
    ws.send(r.text);
    assert.strictEqual(status(await ws.finalResponse(r.callId, 5000)), 488);
    outcome = 'refused';
  } else if (testCase === 'options') {
    const r = request('OPTIONS', p);
    ws.send(r.text);
    const response = await ws.finalResponse(r.callId, 5000);
    assert.strictEqual(status(response), 200);
    assert(/\r\nAllow: .*INVITE/.test(response), 'OPTIONS lists INVITE in Allow');
  } else if (testCase === 'session_too_short') {
    const r = request('INVITE', p, webrtcOffer([{ pt: 0, rtpmap: 'PCMU/8000' }]), 'application/sdp',
                      ['Supported: timer', 'Session-Expires: 60;refresher=uac']);
    ws.send(r.text);
    const response = await ws.finalResponse(r.callId, 5000);
    assert.strictEqual(status(response), 422);
    assert(/\r\nMin-SE: 90\r\n/.test(response), `422 carries Min-SE: 90: ${response}`);
  } else if (testCase === 'pbx_silent') {
    let invites = 0;
    silent.on('message', (m) => { if (String(m).startsWith('INVITE ')) ++invites; });
    const r = request('INVITE', p, webrtcOffer([{ pt: 0, rtpmap: 'PCMU/8000' }]), 'application/sdp');
    ws.send(r.text);
    await h.waitFor('one call in /api/calls', async () => (await h.activeCalls(p.http)).length === 1, 5000);
    assert.strictEqual(status(await ws.finalResponse(r.callId, 40000)), 408);
    assert(invites >= 2, `the INVITE to the PBX was retransmitted (${invites} seen)`);
    outcome = 'no_answer';
  } else {
    throw new Error(`unknown case ${testCase}`);
  }
  await h.waitFor('no call left in /api/calls', async () => (await h.activeCalls(p.http)).length === 0, 5000);
  await h.waitMediaFreed(p.http);
  if (outcome) {
    const metrics = (await h.get(p.http, '/metrics')).body;
    assert.strictEqual(h.metric(metrics, 'rtcgate_calls_total', `outcome="${outcome}"`), 1, `counted as ${outcome}`);
  }
  ws.close();
  if (silent) silent.close();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

setTimeout(() => {
  console.error(`case ${testCase}: deadline exceeded`);
  process.exit(1);
}, 58000).unref();
main().catch((e) => {
  console.error(`case ${testCase}: FAILED: ${e.stack || e}`);
  process.exit(1);
});
