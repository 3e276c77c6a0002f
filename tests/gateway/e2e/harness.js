// Shared pieces of the end-to-end call tests: ports, a generated rtcgate configuration, child
// processes (rtcgate, SIPp) that are always killed at exit, the admin API, and a JsSIP user agent
// on @roamhq/wrtc (browser-grade WebRTC in Node, PEERS.md) that sends a tone and records what it
// hears; answered calls from it, and the checks a case ends with (no call, session or port left).
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const peers = path.join(__dirname, '..', '..', 'peers', 'node_modules');
const RATE = 48000;
const FRAME = 480;  // 10 ms at 48 kHz

// A port nothing listens on now, never one this process was given before: the kernel may hand a
// port it just released to the next bind(0), and two of rtcgate's listeners (or rtcgate and a
// peer) on one port fail the test for no fault of the code under test.
const givenPorts = new Set();
async function freePort(kind) {
  for (;;) {
    const port = await ephemeralPort(kind);
    if (givenPorts.has(port)) continue;
    givenPorts.add(port);
    return port;
  }
}

function ephemeralPort(kind) {
  return new Promise((resolve, reject) => {
    if (kind === 'tcp') {
      const server = net.createServer();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    } else {
      const socket = dgram.createSocket('udp4');
      socket.on('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      });
    }
  });
}

const children = [];
function track(child, name, logFile) {
  const log = fs.createWriteStream(logFile);
  // Two sources share one file: neither may end it while the other still writes.
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  children.push({ child, name });
  return child;
}
process.on('exit', () => {
  for (const { child } of children) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

async function ports() {
  return {
    ws: await freePort('tcp'),
    udp: await freePort('udp'),
    http: await freePort('tcp'),
    pbx: await freePort('udp'),
    pbxMedia: 0,
  };
}

// `codecs`: the [codecs] lines (default: passthrough only, G.711 or Opus on both legs).
function writeConfig(dir, p, mediaBase, users = [], testEndpoint = false, pbxAuth = null, codecs = null,
                     relay = false) {
  const file = path.join(dir, 'rtcgate.toml');
  fs.writeFileSync(file, [
    '[sip]',
    `listen = ["udp:127.0.0.1:${p.udp}", "ws:127.0.0.1:${p.ws}"]`,
    'domain = "127.0.0.1"',
    '[media]',
    'bind_address = "127.0.0.1"',
    `port_min = ${mediaBase}`,
    `port_max = ${mediaBase + 99}`,
    'workers = 1',
    '[pbx]',
    `uri = "${p.pbxUri || `sip:127.0.0.1:${p.pbx}`}"`,
    ...(pbxAuth ? [`username = "${pbxAuth.username}"`, `password = "${pbxAuth.password}"`] : []),
    '[codecs]',
    ...(codecs || ['web = ["opus", "PCMU", "PCMA", "telephone-event"]', 'legacy = ["PCMU", "PCMA", "telephone-event"]',
                   'transcode = false']),
    ...users.flatMap((u) => ['[[users]]', `name = "${u.name}"`, `password = "${u.password}"`]),
    ...(relay ? ['[registration]', 'relay = true'] : []),
    ...(testEndpoint ? ['[test_endpoint]', 'enabled = true', `listen = "udp:127.0.0.1:${p.pbx}"`,
                        `port_min = ${mediaBase + 100}`, `port_max = ${mediaBase + 199}`] : []),
    '[http]',
    `listen = "127.0.0.1:${p.http}"`,
    '[log]',
    'level = "debug"',
    '',
  ].join('\n'));
  return file;
}

function startRtcgate(binary, config, dir) {
  const child = spawn(binary, ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  return track(child, 'rtcgate', path.join(dir, 'rtcgate.log'));
}

function startSipp(scenario, p, mediaPort, dir, extra = []) {
  const args = ['-sf', scenario, '-i', '127.0.0.1', '-p', String(p.pbx), '-mi', '127.0.0.1', '-mp', String(mediaPort),
                '-rtp_echo', '-m', '1', '-timeout', '40s', '-timeout_error', '-nostdin', '-trace_err',
                '-error_file', path.join(dir, 'sipp_errors.log'), ...extra];
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  track(child, 'sipp', path.join(dir, 'sipp.log'));
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

async function waitHealthy(port) {
  await waitFor('rtcgate /healthz', async () => (await get(port, '/healthz')).status === 200, 10000);
}

async function activeCalls(port) {
  return JSON.parse((await get(port, '/api/calls')).body);
}

// The media engine's sessions and legacy ports are all released (sampled every second).
async function waitMediaFreed(port) {
  await waitFor('media sessions and ports released', async () => {
    const text = (await get(port, '/metrics')).body;
    return text.includes('rtcgate_media_sessions 0') && text.includes('rtcgate_media_ports_in_use 0');
  }, 5000);
}

function metric(text, name, labels) {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    if (labels && !line.includes(labels)) continue;
    return Number(line.split(' ').pop());
  }
  return 0;
}

// Goertzel power of `freq` relative to the total power of the samples.
function toneShare(samples, rate, freq) {
  const k = 2 * Math.cos(2 * Math.PI * freq / rate);
  let s1 = 0, s2 = 0, total = 0;
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return total === 0 ? 0 : (2 * power / samples.length) / total;
}

// The best toneShare over the half seconds of the last two: on a loaded machine the receiver's
// jitter buffer stretches or drops frames, which smears the tone in a window that straddles them.
function recentToneShare(samples, rate, freq) {
  const half = Math.floor(rate / 2);
  const last = samples.slice(-half * 4);
  let share = 0;
  for (let i = 0; i + half <= last.length; i += half)
    share = Math.max(share, toneShare(last.slice(i, i + half), rate, freq));
  return share;
}

// JsSIP in Node over @roamhq/wrtc: the globals a browser would have.
function loadJsSip() {
  const wrtc = require(path.join(peers, '@roamhq', 'wrtc'));
  globalThis.window = globalThis;
  globalThis.RTCPeerConnection = wrtc.RTCPeerConnection;
  globalThis.RTCSessionDescription = wrtc.RTCSessionDescription;
  globalThis.RTCIceCandidate = wrtc.RTCIceCandidate;
  globalThis.MediaStream = wrtc.MediaStream;
  const JsSIP = require(path.join(peers, 'jssip'));
  return { JsSIP, wrtc };
}

// A microphone that plays a sine of `freq` Hz, and an ear that keeps what it hears (mono).
function toneSource(wrtc, freq) {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  let phase = 0;
  const timer = setInterval(() => {
    const samples = new Int16Array(FRAME);
    for (let i = 0; i < FRAME; ++i) samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * freq * (phase + i) / RATE));
    phase += FRAME;
    source.onData({ samples, sampleRate: RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME });
  }, 10);
  return { stream: new wrtc.MediaStream([track]), stop: () => { clearInterval(timer); track.stop(); } };
}

function listen(wrtc, track) {
  const heard = { samples: [], rate: RATE };
  const sink = new wrtc.nonstandard.RTCAudioSink(track);
  sink.ondata = (data) => {
    heard.rate = data.sampleRate;
    const ch = data.channelCount;
    for (let i = 0; i < data.numberOfFrames; ++i) {
      let sum = 0;
      for (let c = 0; c < ch; ++c) sum += data.samples[i * ch + c];
      heard.samples.push(sum / ch);
    }
  };
  heard.stop = () => sink.stop();
  return heard;
}

async function rtpCounts(pc) {
  let sent = 0, received = 0;
  const report = await pc.getStats();
  report.forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent || 0;
    if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.packetsReceived || 0;
  });
  return { sent, received };
}

// The call carried audio both ways and what the browser heard lately is mostly `tone`: its own
// tone echoed by the far end, or the far end's.
async function expectTone(pc, heard, tone) {
  const counts = await rtpCounts(pc);
  console.log(`rtp at the browser: sent ${counts.sent}, received ${counts.received}`);
  assert(counts.sent > 100, 'the browser sent RTP');
  assert(counts.received > 100, 'the browser received RTP (through the PBX leg)');
  const share = recentToneShare(heard.samples, heard.rate, tone);
  console.log(`share of the ${tone} Hz tone in what came back (best 0.5 s): ${share.toFixed(3)}`);
  assert(share > 0.3, `the browser hears the ${tone} Hz tone (share ${share})`);
}

// Seconds of `samples` (counted in half-second windows) in which `freq` Hz dominates: the tone was
// heard for that long, not only in one lucky window.
function toneSeconds(samples, rate, freq, threshold = 0.3) {
  const half = Math.floor(rate / 2);
  let windows = 0;
  for (let i = 0; i + half <= samples.length; i += half)
    if (toneShare(samples.slice(i, i + half), rate, freq) > threshold) ++windows;
  return windows / 2;
}

// The offer keeps Opus and telephone-event at 48000 only: every other payload type and its lines
// go, so the offerer has nothing in common with a G.711 peer. Self-contained, so a page can use it
// too (from its source text).
function opusOnly(sdp) {
  const lines = sdp.split('\r\n');
  const keep = new Set();
  for (const l of lines) {
    const m = /^a=rtpmap:(\d+) (opus|telephone-event)\/48000/i.exec(l);
    if (m) keep.add(m[1]);
  }
  return lines.filter((l) => {
    const m = /^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.exec(l);
    return !m || keep.has(m[2]);
  }).map((l) => (l.startsWith('m=audio ') ? l.split(' ').slice(0, 3).concat([...keep]).join(' ') : l)).join('\r\n');
}

// How a JsSIP session ended: `ended` (after it was answered) or `failed`, who ended it, and the
// final status when it failed on a response.
function sessionEnd(session) {
  return new Promise((resolve) => {
    session.on('ended', (e) => resolve({ kind: 'ended', originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => resolve({
      kind: 'failed', originator: e.originator, cause: e.cause, status: e.message && e.message.status_code,
    }));
  });
}

// A JsSIP user agent (a fresh, unregistered user) connected to rtcgate's WebSocket.
async function connectUa(JsSIP, wsPort) {
  const user = `alice-${crypto.randomBytes(8).toString('hex')}`;
  const socket = new JsSIP.WebSocketInterface(`ws://127.0.0.1:${wsPort}`);
  const ua = new JsSIP.UA({ sockets: [socket], uri: `sip:${user}@127.0.0.1`, register: false });
  await new Promise((resolve, reject) => {
    ua.on('connected', resolve);
    ua.on('disconnected', () => reject(new Error('WebSocket to rtcgate failed')));
    ua.start();
  });
  return { ua, socket };
}

// A call from a fresh UA to `user` whose microphone plays `tone` Hz; resolves once confirmed (or,
// with a bad fingerprint, at once: DTLS may fail before JsSIP confirms), `end` once it ends.
async function answeredCall(JsSIP, wrtc, p, user, { badFingerprint = false, tone = 440 } = {}) {
  const { ua, socket } = await connectUa(JsSIP, p.ws);
  const mic = toneSource(wrtc, tone);
  const session = ua.call(`sip:${user}@127.0.0.1:${p.ws}`, { mediaStream: mic.stream, pcConfig: { iceServers: [] } });
  if (badFingerprint) {
    session.on('sdp', (e) => {
      if (e.originator === 'local') e.sdp = e.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F]{2})/, 'a=fingerprint:sha-256 00');
    });
  }
  const end = sessionEnd(session);
  if (badFingerprint) return { ua, socket, mic, session, end };
  const confirmed = new Promise((resolve) => session.on('confirmed', resolve));
  await Promise.race([confirmed, end.then((r) => { throw new Error(`call ended early: ${JSON.stringify(r)}`); }),
                      sleep(15000).then(() => { throw new Error('no answer within 15 s'); })]);
  return { ua, socket, mic, session, end };
}

// The `tone` Hz share of what an answered call hears over the next `ms`, and the RTP it received.
async function stillHears(wrtc, call, ms, tone = 440) {
  const receiver = call.session.connection.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  const before = await rtpCounts(call.session.connection);
  const heard = listen(wrtc, receiver.track);
  await sleep(ms);
  heard.stop();
  const after = await rtpCounts(call.session.connection);
  const share = recentToneShare(heard.samples, heard.rate, tone);
  return { share, received: after.received - before.received };
}

// No call left in /api/calls, no media session or port in use, and (with `outcome`) `count` calls
// counted with that outcome in /metrics.
async function expectClean(p, outcome, count = 1) {
  await waitFor('no call left in /api/calls', async () => (await activeCalls(p.http)).length === 0, 5000);
  await waitMediaFreed(p.http);
  const metrics = (await get(p.http, '/metrics')).body;
  if (outcome) {
    assert.strictEqual(metric(metrics, 'rtcgate_calls_total', `outcome="${outcome}"`), count,
                       `${count} call(s) counted as ${outcome}`);
  }
  assert.strictEqual(metric(metrics, 'rtcgate_calls_active'), 0);
}

// The last lines of every log in `dir`: on failure they say which step went wrong.
function dumpLogs(dir) {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    const lines = fs.readFileSync(path.join(dir, name), 'utf8').trim().split('\n');
    console.error(`--- last lines of ${name}:\n${lines.slice(-25).join('\n')}`);
  }
}

function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rtcgate-e2e-${name}-`));
}

// Runs one test case: exits 1 with the logs dumped when `main` throws or the case outlives
// `limitMs` (kept under ctest's 60 s timeout so the logs are shown), and 0 when `main` exits itself.
function runCase(testCase, main, dumpLogs, limitMs = 55000) {
  const fail = (why) => {
    console.error(`case ${testCase}: ${why}`);
    dumpLogs();
    process.exit(1);
  };
  setTimeout(() => fail('deadline exceeded'), limitMs).unref();
  main().catch((e) => fail(`FAILED: ${e.stack || e}`));
}

module.exports = {
  ports, writeConfig, waitMediaFreed, startRtcgate, startSipp, get, sleep, waitFor, waitHealthy, activeCalls, metric,
  toneShare, recentToneShare, toneSeconds, loadJsSip, opusOnly, toneSource, listen, rtpCounts, expectTone, tempDir, freePort, track,
  runCase, sessionEnd, connectUa, answeredCall, stillHears, expectClean, dumpLogs,
};
