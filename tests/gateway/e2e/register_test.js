// Local users ([[users]]) registering with rtcgate from JsSIP over SIP/WebSocket: digest
// authentication (RFC 3261 §22.4), the registration counted in /metrics, and removed when the
// user unregisters.
// Usage: node --experimental-websocket register_test.js RTCGATE_BINARY CASE
//   ok              the right password: registered, rtcgate_registrations{kind="local"} 1, then 0
//   wrong_password  refused (JsSIP reports registrationFailed), nothing registered
//   unknown_user    refused the same way
'use strict';
const assert = require('assert');
const h = require('./harness');

const [binary, testCase] = process.argv.slice(2);
const users = [{ name: '1001', password: 'secret-1001' }];

async function registrations(port) {
  return h.metric((await h.get(port, '/metrics')).body, 'rtcgate_registrations', 'kind="local"');
}

async function main() {
  const dir = h.tempDir(testCase);
  const p = await h.ports();
  const config = h.writeConfig(dir, p, 30000 + 2 * (process.pid % 5000), users);
  h.startRtcgate(binary, config, dir);
  await h.waitHealthy(p.http);
  console.log(`case ${testCase}: logs in ${dir}`);
  const { JsSIP } = h.loadJsSip();
  const user = testCase === 'unknown_user' ? 'mallory' : '1001';
  const password = testCase === 'ok' ? 'secret-1001' : 'wrong';
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(`ws://127.0.0.1:${p.ws}`)],
    uri: `sip:${user}@127.0.0.1`,
    password,
    register: true,
  });
  const outcome = new Promise((resolve) => {
    ua.on('registered', () => resolve('registered'));
    ua.on('registrationFailed', (e) => resolve(`failed: ${e.cause}`));
  });
  ua.start();
  const result = await outcome;
  console.log(`registration: ${result}`);
  if (testCase === 'ok') {
    assert.strictEqual(result, 'registered');
    assert.strictEqual(await registrations(p.http), 1);
    const gone = new Promise((resolve) => ua.on('unregistered', resolve));
    ua.unregister();
    await gone;
    await h.waitFor('no registration left', async () => (await registrations(p.http)) === 0, 5000);
  } else {
    assert(result.startsWith('failed'), `refused (${result})`);
    assert.strictEqual(await registrations(p.http), 0);
  }
  ua.stop();
  console.log(`case ${testCase}: ok`);
  process.exit(0);
}

setTimeout(() => {
  console.error(`case ${testCase}: deadline exceeded`);
  process.exit(1);
}, 55000).unref();
main().catch((e) => {
  console.error(`case ${testCase}: FAILED: ${e.stack || e}`);
  process.exit(1);
});
