// The tenant's live event stream (/ws/supervisor) for the panel's pages: resumes after a dropped connection with
// ?after=<last event id>, so nothing is missed, and shows the connection's state in the top bar and a banner.

import { getJson } from './api.js';

const RETRY_MS = [500, 1000, 2000, 5000, 10000];

/**
 * Connects and stays connected. onEvent(payload, envelope) gets every tenant event; onFigures(queueFigures) the
 * figures of a queue the node pushes when they change (at most once a second); onOpen(resumed) runs on every
 * (re)connection, where a page takes a fresh snapshot of what it shows and applies events from there on.
 */
export function connectEvents({ onEvent, onOpen, onFigures = () => {} }) {
  let last = '';
  let failures = 0;
  let everOpen = false;
  let reconnects = 0;

  const open = () => {
    const url = new URL('/ws/supervisor', window.location.href);
    url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (last) {
      url.searchParams.set('after', last);
    }
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      failures = 0;
      if (everOpen) {
        reconnects += 1;
        document.body.dataset.reconnects = String(reconnects);
      }
      showConnected(true);
      onOpen(everOpen);
      everOpen = true;
    });
    socket.addEventListener('message', (message) => {
      let envelope;
      try {
        envelope = JSON.parse(message.data);
      } catch (e) {
        console.warn('not JSON from /ws/supervisor', e);
        return;
      }
      if (envelope.type === 'queue.figures') {
        onFigures(envelope.payload ?? {});
        return;
      }
      if (envelope.type !== 'event') {
        return;
      }
      if (envelope.id) {
        last = envelope.id;
      }
      // A measuring hook (./tandem bench panel notes when each event reached the page); absent, it costs nothing.
      window.tandemEventTap?.(envelope);
      onEvent(envelope.payload ?? {}, envelope);
    });
    socket.addEventListener('close', () => {
      showConnected(false);
      const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
      failures += 1;
      // A handshake refused because the session ended looks like any drop: a plain API call tells, and sends a
      // signed-out page back to the sign-in form instead of retrying for ever.
      window.setTimeout(() => getJson('/queues').catch(() => {}).finally(open), delay);
    });
  };
  open();
}

function showConnected(connected) {
  const indicator = document.getElementById('connection');
  if (indicator) {
    indicator.dataset.connected = String(connected);
    indicator.querySelector('.connection-text').textContent = connected ? 'Live' : 'Reconnecting…';
  }
  const banner = document.getElementById('banner');
  if (banner) {
    banner.hidden = connected;
  }
  document.body.dataset.live = String(connected);
}

/**
 * Runs work(key) at most once per key per short window, however many events ask for it: a burst of events for one
 * queue costs one fetch. A key asked for again while its work runs is run once more afterwards.
 */
export function coalescer(work, windowMs = 250) {
  const pending = new Set();
  let timer = null;
  const flush = () => {
    timer = null;
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      Promise.resolve().then(() => work(key)).catch((e) => console.warn('refresh failed', key, e));
    }
  };
  return (key) => {
    pending.add(key);
    if (timer === null) {
      timer = window.setTimeout(flush, windowMs);
    }
  };
}

/**
 * Collects work keyed by what it changes and runs it once per animation frame: a burst of events for one agent or one
 * queue is drawn once, with its last value, and never more often than the screen shows it. A hidden page gets no
 * frames; it applies what piled up (at most one entry per key) on a timer instead, so it is current when shown.
 */
export function perFrame(apply) {
  const pending = new Map();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = [...pending];
    pending.clear();
    for (const [key, value] of batch) {
      try {
        apply(key, value);
      } catch (e) {
        console.warn('could not apply', key, e);
      }
    }
  };
  return (key, value) => {
    pending.set(key, value);
    if (!scheduled) {
      scheduled = true;
      if (document.hidden) {
        window.setTimeout(flush, 250);
      } else {
        window.requestAnimationFrame(flush);
      }
    }
  };
}
