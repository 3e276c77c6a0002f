#!/usr/bin/env node
// @roamhq/wrtc (Google's libwebrtc) far end for the media relay interop tests: the same JSON-over-stdio
// protocol as aiortc_peer.py.
//
// Reads one JSON line on stdin with the media session's ICE credentials, candidates and DTLS
// fingerprint; prints one JSON line describing its own offer (ufrag, pwd, fingerprint, mid, opus_pt,
// IPv4 candidates); applies an answer it writes itself from our values (media/ knows no SDP); sends a
// sine tone of --freq Hz (10 ms frames of 48 kHz s16 PCM through RTCAudioSource, encoded as Opus by
// libwebrtc), records what it hears (RTCAudioSink) to --wav for --seconds seconds, then prints
// {"done": true, ...} and exits 0.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

const wrtc = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', '@roamhq', 'wrtc'));

const RATE = 48000;
const FRAME = 480;  // 10 ms

function parseArgs() {
  const args = {freq: 440, seconds: 6, wav: null};
  const argv = process.argv.slice(2);
  for (let i = 0; i + 1 < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    args[key] = key === 'wav' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (!args.wav) throw new Error('--wav is required');
  return args;
}

function describeOffer(sdp) {
  const info = {candidates: []};
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('a=ice-ufrag:')) info.ufrag = line.slice(12);
    else if (line.startsWith('a=ice-pwd:')) info.pwd = line.slice(10);
    else if (line.startsWith('a=fingerprint:sha-256 ')) info.fingerprint = line.slice(22);
    else if (line.startsWith('a=mid:')) info.mid = line.slice(6);
    else if (line.startsWith('a=rtpmap:') && line.includes('opus/48000')) info.opus_pt = parseInt(line.slice(9), 10);
    else if (line.startsWith('a=candidate:')) {
      const f = line.slice(12).split(' ');
      // Loopback tests: keep the 127.0.0.1 UDP candidates only (PEERS.md: wrtc also offers ::1).
      if (f[2].toLowerCase() !== 'udp' || f[4].includes(':')) continue;
      info.candidates.push({foundation: f[0], component: Number(f[1]), priority: Number(f[3]), address: f[4],
                            port: Number(f[5]), type: f[7]});
    }
  }
  return info;
}

function answerSdp(offer, ours) {
  const lines = [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${offer.mid}`,
    `m=audio 9 UDP/TLS/RTP/SAVPF ${offer.opus_pt}`, 'c=IN IP4 127.0.0.1', `a=mid:${offer.mid}`, 'a=sendrecv',
    'a=rtcp-mux', `a=ice-ufrag:${ours.ufrag}`, `a=ice-pwd:${ours.pwd}`, `a=fingerprint:sha-256 ${ours.fingerprint}`,
    `a=setup:${ours.setup || 'passive'}`, `a=rtpmap:${offer.opus_pt} opus/48000/2`,
  ];
  for (const c of ours.candidates) {
    lines.push(`a=candidate:${c.foundation} ${c.component} udp ${c.priority} ${c.address} ${c.port} typ host`);
  }
  lines.push('a=end-of-candidates');
  return lines.join('\r\n') + '\r\n';
}

function writeWav(file, chunks, rate) {
  const samples = chunks.reduce((n, c) => n + c.length, 0);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples * 2, 40);
  let at = 44;
  for (const c of chunks) {
    for (let i = 0; i < c.length; ++i, at += 2) out.writeInt16LE(c[i], at);
  }
  fs.writeFileSync(file, out);
}

async function firstLine() {
  const rl = readline.createInterface({input: process.stdin});
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new Error('no input');
}

async function main() {
  const args = parseArgs();
  const ours = JSON.parse(await firstLine());
  const pc = new wrtc.RTCPeerConnection({iceServers: []});

  const source = new wrtc.nonstandard.RTCAudioSource();
  pc.addTrack(source.createTrack());
  let phase = 0;
  const tone = setInterval(() => {
    const samples = new Int16Array(FRAME);
    for (let i = 0; i < FRAME; ++i) samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * args.freq * (phase + i) / RATE));
    phase += FRAME;
    source.onData({samples, sampleRate: RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME});
  }, 10);

  const heard = [];
  let heardRate = RATE;
  pc.ontrack = (event) => {
    const sink = new wrtc.nonstandard.RTCAudioSink(event.track);
    sink.ondata = (data) => {
      heardRate = data.sampleRate;
      const ch = data.channelCount;
      const mono = new Int16Array(data.numberOfFrames);
      for (let i = 0; i < data.numberOfFrames; ++i) {
        let sum = 0;
        for (let c = 0; c < ch; ++c) sum += data.samples[i * ch + c];
        mono[i] = Math.round(sum / ch);
      }
      heard.push(mono);
    };
    pc.sinks = (pc.sinks || []).concat([sink]);
  };

  const gathered = new Promise((resolve) => {
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') resolve();
    };
  });
  await pc.setLocalDescription(await pc.createOffer());
  await Promise.race([gathered, new Promise((resolve) => setTimeout(resolve, 3000))]);
  const offer = describeOffer(pc.localDescription.sdp);
  process.stdout.write(JSON.stringify(offer) + '\n');
  await pc.setRemoteDescription({type: 'answer', sdp: answerSdp(offer, ours)});

  await new Promise((resolve) => setTimeout(resolve, args.seconds * 1000));
  clearInterval(tone);
  const ice = pc.iceConnectionState;
  for (const sink of pc.sinks || []) sink.stop();
  pc.close();
  writeWav(args.wav, heard, heardRate);
  process.stdout.write(JSON.stringify({done: true, ice}) + '\n');
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
