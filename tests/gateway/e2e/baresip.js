// baresip (Debian's 1.0.0) as a real SIP phone on the legacy side of the end-to-end tests: its own
// configuration directory per run, PCMU only, a WAV file as its microphone (aufile) and the sndfile
// filter recording what it hears, no sound card (aubridge to nowhere). Auto-answers incoming calls
// when asked to, and can dial at start-up (-e, through the menu module).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const kRate = 8000;  // aufile wants the codec's rate: PCMU is 8 kHz mono s16

// A 16-bit mono WAV of a sine of `freq` Hz lasting `seconds`.
function writeToneWav(file, freq, seconds) {
  const n = kRate * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; ++i) data.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * freq * i / kRate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);  // PCM
  header.writeUInt16LE(1, 22);  // mono
  header.writeUInt32LE(kRate, 24);
  header.writeUInt32LE(kRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

// The samples of a 16-bit mono WAV; a file still being written (its sizes not yet patched) is
// read up to its end.
function readWav(file) {
  const buf = fs.readFileSync(file);
  let offset = 12;
  let rate = kRate;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ') rate = buf.readUInt32LE(offset + 12);
    if (id === 'data') {
      const start = offset + 8;
      const end = size > 0 && start + size <= buf.length ? start + size : buf.length - ((buf.length - start) % 2);
      const samples = [];
      for (let i = start; i + 1 < end; i += 2) samples.push(buf.readInt16LE(i));
      return { samples, rate };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

// Starts baresip as `user` on udp 127.0.0.1:`port` with RTP in `rtpPorts` ([min, max]), playing
// `toneFile`; `dial` is a SIP URI to call at start-up. Returns the child, its exit promise and where
// its recordings go.
function startBaresip({ dir, user, port, rtpPorts, toneFile, autoAnswer = false, dial = null, track }) {
  const conf = path.join(dir, `baresip-${user}`);
  const recordings = path.join(conf, 'recordings');
  fs.mkdirSync(recordings, { recursive: true });
  fs.writeFileSync(path.join(conf, 'config'), [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${port}`,
    'net_interface 127.0.0.1',
    `rtp_ports ${rtpPorts[0]}-${rtpPorts[1]}`,
    `audio_source aufile,${toneFile}`,
    'audio_player aubridge,nowhere',
    'audio_alert aubridge,nowhere',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module sndfile.so',
    `snd_path ${recordings}`,
    'module_app account.so',
    'module_app menu.so',
    '',
  ].join('\n'));
  const answer = autoAnswer ? ';answermode=auto' : '';
  fs.writeFileSync(path.join(conf, 'accounts'),
                   `<sip:${user}@127.0.0.1:${port}>;regint=0${answer};audio_codecs=PCMU\n`);
  const args = ['-f', conf, ...(dial ? ['-e', `/dial ${dial}`] : [])];
  const child = spawn('baresip', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: conf });
  const log = path.join(dir, `baresip-${user}.log`);
  track(child, 'baresip', log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code === null ? signal : code)));
  return { child, exited, recordings, log };
}

// What baresip heard during its last call (the sndfile filter's decode-side dump).
function heardBy(phone) {
  const files = fs.readdirSync(phone.recordings).filter((f) => f.endsWith('-dec.wav')).sort();
  if (files.length === 0) throw new Error(`baresip recorded nothing in ${phone.recordings}`);
  return readWav(path.join(phone.recordings, files[files.length - 1]));
}

module.exports = { writeToneWav, readWav, startBaresip, heardBy };
