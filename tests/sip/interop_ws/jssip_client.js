// JsSIP (the browser SIP stack, run in Node) against sip_ws_test_server over WebSocket (RFC 7118).
//   node --experimental-websocket jssip_client.js ws://127.0.0.1:PORT
// Registers as alice (answering the digest challenge), then waits for the server's OPTIONS over
// the same connection and answers it 200. Exits 0 once both happened, 1 on failure or after 15 s.
'use strict';

// Node 20 has a WHATWG WebSocket behind --experimental-websocket; JsSIP's WebSocketInterface
// uses the global one and asks for the `sip` subprotocol.
if (typeof WebSocket === 'undefined') {
  console.error('client: no global WebSocket; run node with --experimental-websocket');
  process.exit(1);
}

const JsSIP = require('jssip');

const url = process.argv[2];
let registered = false;
let optionsAnswered = false;

const finish = (code, why) => {
  console.log(`client: ${code === 0 ? 'PASS' : 'FAIL'} ${why}`);
  // Let the 200 to OPTIONS leave before the process goes away.
  setTimeout(() => process.exit(code), 300);
};

setTimeout(() => finish(1, `timed out (registered=${registered}, options=${optionsAnswered})`), 15000);

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface(url)],
  uri: 'sip:alice@rtcgate.test',
  password: 'wonderland',
  realm: 'rtcgate.test',
  register: true,
  register_expires: 600,
  connection_recovery_min_interval: 30,
  user_agent: 'JsSIP interop (rtcgate tests)',
});

ua.on('connected', () => console.log('client: WebSocket connected with subprotocol sip'));
ua.on('disconnected', (e) => {
  if (!optionsAnswered) finish(1, `disconnected ${e && e.code}`);
});
ua.on('registered', (e) => {
  registered = true;
  console.log(`client: registered, ${e.response.status_code} ${e.response.reason_phrase}`);
});
ua.on('registrationFailed', (e) => finish(1, `registration failed: ${e.cause}`));
ua.on('newOptions', (e) => {
  if (e.originator !== 'remote') return;
  console.log(`client: OPTIONS ${e.request.ruri} received`);
  if (!registered) {
    finish(1, 'OPTIONS before the registration completed');
    return;
  }
  e.request.reply(200);
  optionsAnswered = true;
  finish(0, 'registered and answered OPTIONS over its WebSocket');
});

ua.start();
