// Cluster: the nodes and their heartbeat, polled (membership is a heartbeat key's TTL in Redis, not an event). A node
// missing from the answer stays listed as gone, with when it was last seen, so a stop is visible rather than silent.
import { getJsonAt } from './api.js';
import { connectEvents } from './events.js';
import { duration, setText } from './format.js';

const body = document.querySelector('#nodes tbody');
const template = document.getElementById('node-row').content.querySelector('tr');
const here = document.body.dataset.thisNode;
const POLL_MS = Number(document.body.dataset.pollMs) || 2000;
/** Node id → when the page last saw it alive (its last beat, by the node's clock) and its row. */
const nodes = new Map();
let skew = 0;

function row(id) {
  let known = nodes.get(id);
  if (!known) {
    const tr = template.cloneNode(true);
    tr.dataset.node = id;
    setText(tr, 'id', id);
    setText(tr, 'here', id === here ? '(serving this page)' : '');
    const next = [...nodes.keys()].filter((other) => other > id).sort()[0];
    body.insertBefore(tr, next === undefined ? null : nodes.get(next).tr);
    known = { tr, lastBeat: 0 };
    nodes.set(id, known);
  }
  return known;
}

async function poll() {
  const before = Date.now();
  const alive = await getJsonAt('/api/v1/cluster/nodes');
  const seen = new Set();
  for (const node of alive) {
    seen.add(node.id);
    const known = row(node.id);
    known.lastBeat = Date.parse(node.lastBeat);
    if (node.id === here) {
      skew = known.lastBeat - before; // this node's clock against the browser's, for the ages shown
    }
    const { tr } = known;
    tr.dataset.status = 'alive';
    setText(tr, 'status', '● Alive');
    setText(tr, 'sip', node.sip);
    setText(tr, 'http', node.http);
    setText(tr, 'version', node.version);
    setText(tr, 'started', new Date(node.startedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
    setText(tr, 'calls', String(node.calls));
    setText(tr, 'registrations', String(node.registrations));
    setText(tr, 'dialling', dialling(node));
  }
  for (const [id, known] of nodes) {
    if (!seen.has(id) && known.tr.dataset.status !== 'gone') {
      known.tr.dataset.status = 'gone';
      setText(known.tr, 'status', '✖ Gone');
      setText(known.tr, 'calls', '–');
      setText(known.tr, 'registrations', '–');
      setText(known.tr, 'dialling', '–');
    }
  }
  tick();
}

/** In or out of campaign dialling, as the other nodes vote (out: most of them cannot reach the node's SIP port). */
function dialling(node) {
  const votes = Object.entries(node.votes || {});
  const unreachable = votes.filter(([, ballot]) => ballot.vote === 'unreachable').map(([voter]) => voter);
  if (node.dialling === false) {
    return `✖ Out: unreachable from ${unreachable.join(', ') || 'a majority'}`;
  }
  return unreachable.length ? `In (unreachable from ${unreachable.join(', ')})` : 'In';
}

function tick() {
  const now = Date.now() + skew;
  for (const { tr, lastBeat } of nodes.values()) {
    if (lastBeat) {
      setText(tr, 'beat', `${duration(Math.max(0, now - lastBeat) / 1000)} ago`);
    }
  }
}

function pollSafely() {
  poll().catch((e) => console.warn('cluster poll failed', e));
}

// The event stream drives the connection indicator and banner here, and a node voted out of dialling or back in
// (node.dialling) is shown at once; the other figures come from polling.
connectEvents({
  onOpen: pollSafely,
  onEvent: (event) => {
    if (event.kind === 'node.dialling') {
      pollSafely();
    }
  },
});
window.setInterval(pollSafely, POLL_MS);
window.setInterval(tick, 1000);
