// Loads the demo web phone from a running rtcgate in headless Chromium (playwright-core) and checks
// that it renders, that the JsSIP bundle built with the gateway loaded and that the page took its
// settings from /api/config.json; then that the page says so plainly when JsSIP is missing.
// Usage: node demo_page_test.js RTCGATE_BINARY [CHROMIUM_BINARY]
// Inside a fresh network namespace (RTCGATE_ISOLATED=1, see isolated.sh) rtcgate runs on its
// built-in configuration, as `rtcgate` with no arguments does; otherwise on a generated file
// whose ports were free a moment before. Set RTCGATE_SCREENSHOT=FILE.png to keep a picture.
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'peers', 'node_modules', 'playwright-core'));

const kDeadlineMs = 60000;

function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

async function configArgs() {
  if (process.env.RTCGATE_ISOLATED === '1') return { args: [], wsPort: 8080 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rtcgate-demo-page-'));
  const wsPort = await freeTcpPort();
  const udpPort = await freeUdpPort();
  const file = path.join(dir, 'rtcgate.toml');
  fs.writeFileSync(file, [
    '[sip]',
    `listen = ["udp:127.0.0.1:${udpPort}", "ws:127.0.0.1:${wsPort}"]`,
    '[pbx]',
    'uri = "sip:127.0.0.1:5999"',
    '[[users]]',
    'name = "demo"',
    'password = "demo"',
    '[http]',
    'listen = "127.0.0.1:0"',
    '',
  ].join('\n'));
  return { args: ['--config', file], wsPort, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Starts rtcgate and resolves with its admin HTTP port, read from the http.listening log line.
function startGateway(binary, args) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /event=http\.listening address=127\.0\.0\.1:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`rtcgate exited with ${code} before listening:\n${output}`)));
  });
  return { child, port, output: () => output };
}

function stopGateway(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? signal : code);
    });
    child.kill('SIGTERM');
  });
}

async function checkPage(page, base, wsPort) {
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  assert.strictEqual(await page.title(), 'rtcgate web phone');
  const phone = await page.evaluate(() => ({
    jssipVersion: window.JsSIP ? window.JsSIP.version : null,
    hasUa: window.JsSIP ? typeof window.JsSIP.UA === 'function' : false,
    state: window.rtcgatePhone.state,
    server: document.getElementById('server').value,
    user: document.getElementById('user').value,
    target: document.getElementById('target').value,
    notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice').textContent,
    keys: [...document.querySelectorAll('#keypad button')].map((b) => b.dataset.tone).join(''),
    meters: document.querySelectorAll('meter').length,
    dialEnabled: !document.getElementById('dial').disabled,
    registerEnabled: !document.getElementById('register').disabled,
    callStatus: document.getElementById('call-status').textContent,
  }));
  assert.deepStrictEqual(errors, [], 'page errors');
  assert.match(phone.jssipVersion || '', /^\d+\.\d+\.\d+$/, 'JsSIP loaded from /jssip.js');
  assert.ok(phone.hasUa, 'JsSIP.UA is a constructor');
  assert.strictEqual(phone.state.jssip, phone.jssipVersion);
  assert.strictEqual(phone.notice, '', 'no warning shown');
  assert.strictEqual(phone.server, `ws://127.0.0.1:${wsPort}`);
  assert.strictEqual(phone.user, 'demo');
  assert.strictEqual(phone.target, 'echo');
  assert.strictEqual(phone.keys, '123456789*0#');
  assert.strictEqual(phone.meters, 2);
  assert.ok(phone.dialEnabled && phone.registerEnabled, 'dial and register enabled');
  assert.strictEqual(phone.callStatus, 'idle');
  return phone;
}

async function checkMissingJssip(page, base) {
  // What a build without node serves: /jssip.js is 404, and the page must say so and disable calling.
  await page.route('**/jssip.js', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'no' }));
  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  const missing = await page.evaluate(() => ({
    notice: document.getElementById('notice').textContent,
    shown: !document.getElementById('notice').hidden,
    dialEnabled: !document.getElementById('dial').disabled,
    jssip: window.rtcgatePhone.state.jssip,
  }));
  assert.ok(missing.shown, 'notice shown');
  assert.match(missing.notice, /JsSIP is missing/);
  assert.strictEqual(missing.jssip, null);
  assert.ok(!missing.dialEnabled, 'dial disabled without JsSIP');
}

async function main() {
  const [binary, chromiumBinary] = process.argv.slice(2);
  assert.ok(binary, 'usage: node demo_page_test.js RTCGATE_BINARY [CHROMIUM_BINARY]');
  const config = await configArgs();
  const gateway = startGateway(binary, config.args);
  let browser;
  try {
    const port = await gateway.port;
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(base + '/healthz');
    assert.strictEqual(health.status, 200);
    const bundle = await fetch(base + '/jssip.js');
    assert.strictEqual(bundle.status, 200, 'the JsSIP bundle is served');
    browser = await chromium.launch({
      executablePath: chromiumBinary || '/usr/bin/chromium',
      args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    });
    const page = await browser.newPage();
    const phone = await checkPage(page, base, config.wsPort);
    if (process.env.RTCGATE_SCREENSHOT) await page.screenshot({ path: process.env.RTCGATE_SCREENSHOT, fullPage: true });
    await checkMissingJssip(await browser.newPage(), base);
    console.log(`demo page ok: JsSIP ${phone.jssipVersion}, ${phone.server}`);
  } finally {
    if (browser) await browser.close();
    const status = await stopGateway(gateway.child);
    if (config.cleanup) config.cleanup();
    assert.strictEqual(status, 0, `rtcgate exit status after SIGTERM:\n${gateway.output()}`);
  }
}

const deadline = setTimeout(() => {
  console.error(`timed out after ${kDeadlineMs} ms`);
  process.exit(1);
}, kDeadlineMs);
main().then(
  () => clearTimeout(deadline),
  (err) => {
    console.error(err);
    process.exit(1);
  });
