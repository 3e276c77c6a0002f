// rtcgate demo web phone: JsSIP over the gateway's SIP WebSocket listener (RFC 7118).
// Settings come from /api/config.json; window.rtcgatePhone exposes the state for automated tests.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    jssip: typeof window.JsSIP === 'object' && window.JsSIP ? window.JsSIP.version || 'unknown' : null,
    config: null,
    registration: 'not registered',
    call: 'idle',
    dtmf: '',
    levelIn: 0,
    levelOut: 0,
    events: [],
  };
  let ua = null;
  let session = null;
  let audioContext = null;
  let meters = [];

  function log(text) {
    const line = new Date().toISOString().slice(11, 23) + ' ' + text;
    state.events.push(line);
    if (state.events.length > 200) state.events.shift();
    const item = document.createElement('li');
    item.textContent = line;
    $('log').appendChild(item);
    while ($('log').children.length > 200) $('log').firstChild.remove();
    $('log').scrollTop = $('log').scrollHeight;
  }

  function notice(text, isError) {
    const el = $('notice');
    el.textContent = text;
    el.className = isError ? 'notice error' : 'notice';
    el.hidden = false;
  }

  function setRegistration(text) {
    state.registration = text;
    $('registration-status').textContent = text;
  }

  function setCall(text, peer) {
    state.call = text;
    $('call-status').textContent = text;
    if (peer !== undefined) $('call-peer').textContent = peer ? '(' + peer + ')' : '';
    const inCall = session !== null;
    $('dial').disabled = inCall || !state.jssip;
    $('hangup').disabled = !inCall;
    $('answer').disabled = !(inCall && session.direction === 'incoming' && !session.isEstablished());
    for (const key of $('keypad').querySelectorAll('button')) key.disabled = !(inCall && session.isEstablished());
  }

  // Level meters: RMS of an AnalyserNode's time-domain samples, refreshed every animation frame.
  function meter(stream, element, field) {
    if (!stream || stream.getAudioTracks().length === 0) return;
    audioContext = audioContext || new AudioContext();
    if (audioContext.state === 'suspended') audioContext.resume();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 1024;
    const source = audioContext.createMediaStreamSource(stream);
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const entry = { source, stopped: false };
    meters.push(entry);
    const tick = () => {
      if (entry.stopped) return;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      state[field] = level;
      $(element).value = level;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  function stopMeters() {
    for (const entry of meters) {
      entry.stopped = true;
      entry.source.disconnect();
    }
    meters = [];
    state.levelIn = state.levelOut = 0;
    $('level-in').value = 0;
    $('level-out').value = 0;
  }

  function attachMedia(pc) {
    pc.addEventListener('track', (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      $('remote-audio').srcObject = stream;
      meter(stream, 'level-in', 'levelIn');
    });
    const senders = pc.getSenders().filter((s) => s.track && s.track.kind === 'audio');
    if (senders.length > 0) meter(new MediaStream([senders[0].track]), 'level-out', 'levelOut');
  }

  function bindSession(s) {
    session = s;
    const peer = s.remote_identity ? s.remote_identity.uri.toString() : '';
    s.on('peerconnection', (e) => attachMedia(e.peerconnection));
    if (s.connection) attachMedia(s.connection);
    s.on('progress', (e) => setCall(e.response && e.response.status_code === 183 ? 'early media' : 'ringing'));
    s.on('accepted', () => setCall('answered'));
    s.on('confirmed', () => {
      setCall('in call');
      if (s.direction === 'incoming' && s.connection) {
        // Outgoing calls get their tracks before answering; make sure incoming ones have a meter.
        const senders = s.connection.getSenders().filter((x) => x.track && x.track.kind === 'audio');
        if (senders.length > 0 && meters.length < 2) meter(new MediaStream([senders[0].track]), 'level-out', 'levelOut');
      }
    });
    const finish = (label) => (e) => {
      const cause = e && e.cause ? e.cause : '';
      log('call ' + label + (cause ? ': ' + cause : ''));
      session = null;
      stopMeters();
      $('remote-audio').srcObject = null;
      setCall(label + (cause ? ' (' + cause + ')' : ''), '');
    };
    s.on('ended', finish('ended'));
    s.on('failed', finish('failed'));
    setCall(s.direction === 'incoming' ? 'incoming call' : 'calling', peer);
    log((s.direction === 'incoming' ? 'incoming call from ' : 'calling ') + peer);
  }

  const mediaOptions = () => ({
    mediaConstraints: { audio: true, video: false },
    pcConfig: { iceServers: [] },
    rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
  });

  function startUa() {
    if (ua) return ua;
    const server = $('server').value.trim();
    const user = $('user').value.trim();
    const domain = state.config && state.config.domain ? state.config.domain : location.hostname;
    if (!server || !user) {
      notice('Enter the WebSocket address and a user name first.', true);
      return null;
    }
    const socket = new JsSIP.WebSocketInterface(server);
    ua = new JsSIP.UA({
      sockets: [socket],
      uri: 'sip:' + user + '@' + domain,
      password: $('password').value,
      register: false,
      session_timers: false,
    });
    ua.on('connecting', () => log('connecting to ' + server));
    ua.on('connected', () => log('WebSocket connected'));
    ua.on('disconnected', () => {
      log('WebSocket disconnected');
      setRegistration('disconnected');
    });
    ua.on('registered', () => {
      setRegistration('registered');
      $('unregister').disabled = false;
      log('registered as ' + user + '@' + domain);
    });
    ua.on('unregistered', () => {
      setRegistration('not registered');
      $('unregister').disabled = true;
    });
    ua.on('registrationFailed', (e) => {
      setRegistration('failed (' + e.cause + ')');
      log('registration failed: ' + e.cause);
    });
    ua.on('newRTCSession', (e) => {
      if (session && e.session !== session) {
        e.session.terminate({ status_code: 486 });
        return;
      }
      bindSession(e.session);
    });
    ua.start();
    setCall(state.call);
    return ua;
  }

  function wire() {
    $('register').addEventListener('click', () => {
      const agent = startUa();
      if (!agent) return;
      setRegistration('registering');
      agent.register();
    });
    $('unregister').addEventListener('click', () => ua && ua.unregister());
    $('dial').addEventListener('click', () => {
      const agent = startUa();
      const target = $('target').value.trim();
      if (!agent || !target) return;
      const domain = state.config && state.config.domain ? state.config.domain : location.hostname;
      agent.call(target.includes('@') ? target : 'sip:' + target + '@' + domain, mediaOptions());
    });
    $('answer').addEventListener('click', () => session && session.answer(mediaOptions()));
    $('hangup').addEventListener('click', () => session && session.terminate());
    for (const key of $('keypad').querySelectorAll('button')) {
      key.addEventListener('click', () => {
        if (!session || !session.isEstablished()) return;
        // RFC 4733 telephone-events in the RTP stream; the gateway translates them for the PBX.
        session.sendDTMF(key.dataset.tone, { transportType: 'RFC2833', duration: 160, interToneGap: 80 });
        state.dtmf += key.dataset.tone;
        $('dtmf-sent').textContent = state.dtmf;
      });
    }
  }

  async function loadConfig() {
    try {
      const reply = await fetch('api/config.json', { cache: 'no-store' });
      if (!reply.ok) throw new Error('HTTP ' + reply.status);
      const config = await reply.json();
      state.config = config;
      if (config.ws_port) $('server').value = config.ws_scheme + '://' + location.hostname + ':' + config.ws_port;
      else notice('This gateway has no ws: or wss: SIP listener, so browsers cannot connect.', true);
      $('user').value = config.user || '';
      $('password').value = config.password || '';
      $('target').value = config.default_target || '';
    } catch (err) {
      notice('Could not read the gateway settings (' + err.message + ').', true);
    }
  }

  async function init() {
    wire();
    setCall('idle', '');
    for (const key of $('keypad').querySelectorAll('button')) key.disabled = true;
    if (!state.jssip) {
      // The bundle is built by esbuild from the npm package at build time; without node/npm it is absent.
      notice('JsSIP is missing: this rtcgate was built without node and the npm test peers ' +
          '(tests/peers), so the page cannot place calls. Install them (scripts/dev setup --tests), ' +
          're-run cmake and rebuild.', true);
      for (const id of ['register', 'unregister', 'dial', 'answer', 'hangup']) $(id).disabled = true;
    }
    if (!window.isSecureContext || !navigator.mediaDevices) {
      notice('The microphone is only available on https:// or http://localhost pages.', true);
    }
    await loadConfig();
    log(state.jssip ? 'JsSIP ' + state.jssip + ' loaded' : 'JsSIP not loaded');
    state.ready = true;
    document.body.dataset.ready = 'true';
  }

  window.rtcgatePhone = {
    state,
    ua: () => ua,
    session: () => session,
  };
  init();
})();
