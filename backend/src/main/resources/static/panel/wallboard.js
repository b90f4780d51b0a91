// Wallboard: one tile per queue. A snapshot from the REST API on every (re)connection; from there on the events drive
// it: agent.state events move the agent counts, caller events the list of waiting callers, and the node pushes the
// figures that need today's statistics (answered, abandoned, service level, handle time) when they change.
import { getJson } from './api.js';
import { coalescer, connectEvents, perFrame } from './events.js';
import { duration, percent, setText } from './format.js';
import { assess, LEVELS } from './thresholds.js';

const section = document.querySelector('.tiles');
const tileTemplate = document.getElementById('queue-tile').content.querySelector('.tile');
const tiles = new Map([...section.querySelectorAll('.tile[data-queue]')].map((tile) => [tile.dataset.queue, tile]));
/** Per queue: its tile thresholds, when it has any. */
let thresholds = {};
/** Per queue: today's service level as last pushed or read (null: none yet), for the thresholds. */
const levels = new Map();

/** Agent id → { state, queues }: every logged-in agent, as the last snapshot and the events since say. */
const agents = new Map();
/** Per queue, call id → { name, number, score, enqueuedAt }: its waiting callers. */
const callers = new Map();

const QUEUES = 'queues';
const THRESHOLDS = 'thresholds';
const THRESHOLDS_SAVED = 'wallboard.thresholds';
/** Shown for a service level with no call answered or abandoned today (the API answers null). */
const NO_LEVEL = '—';
/** Callers listed on a tile; the count above says how many wait in all. */
const LISTED = 8;
/** The agent counts of a tile, and the states each counts. */
const COUNTS = { available: ['available'], onCall: ['on-call', 'reserved'], wrapUp: ['wrap-up'], notReady: ['not-ready'] };

/** Today's figures of one queue, pushed by the node or read at a snapshot. */
function showFigures(figures) {
  const tile = tiles.get(figures.queue);
  if (!tile) {
    return;
  }
  setText(tile, 'answered', String(figures.answered));
  setText(tile, 'abandoned', String(figures.abandoned));
  const noLevel = figures.serviceLevelPercent == null; // null (or absent): no call answered or abandoned today
  const level = setText(tile, 'serviceLevel', noLevel ? NO_LEVEL : percent(figures.serviceLevelPercent));
  level.title = noLevel ? 'No call has been answered or abandoned today' : '';
  setText(tile, 'handleTime', duration(figures.averageHandleTimeSeconds));
  levels.set(figures.queue, noLevel ? null : figures.serviceLevelPercent);
  // The waiting callers follow the events; a node's count that stays different from this page's list twice in a
  // row (an event this page never got) is corrected by reading the list again.
  const listed = callers.get(figures.queue)?.size ?? 0;
  const doubted = tile.dataset.doubt === '1';
  tile.dataset.doubt = figures.waiting !== listed && !doubted ? '1' : '';
  if (figures.waiting !== listed && doubted) {
    refresh(figures.queue);
  }
}

async function refreshQueue(queue) {
  if (!tiles.has(queue)) {
    return;
  }
  const path = `/queues/${encodeURIComponent(queue)}`;
  const arrived = [];
  duringSnapshot.set(queue, arrived);
  let figures;
  let waiting;
  try {
    [figures, waiting] = await Promise.all([getJson(`${path}/figures`), getJson(`${path}/callers`)]);
  } finally {
    duringSnapshot.delete(queue);
  }
  // Ordered by the score the queue sorts by: priority, then enqueue time; a caller moved to the head of the queue
  // sorts before the next whatever its own.
  const listed = new Map();
  let next = Infinity;
  for (const caller of waiting.slice().sort((a, b) => b.position - a.position)) {
    const enqueuedAt = Date.parse(caller.enqueuedAt);
    next = Math.min((99 - caller.priority) * 1e13 + enqueuedAt, next - 1);
    listed.set(caller.callId, { name: caller.name, number: caller.number, score: next, enqueuedAt });
  }
  callers.set(queue, new Map([...listed].reverse()));
  arrived.forEach(applyCaller); // the list read may be older than these
  showFigures(figures);
  tileSoon(queue, true);
}

/** The agents' counts and the waiting callers of one queue, drawn from what this page holds. */
function drawTile(queue) {
  const tile = tiles.get(queue);
  if (!tile) {
    return;
  }
  const counts = { available: 0, onCall: 0, wrapUp: 0, notReady: 0 };
  for (const agent of agents.values()) {
    if (agent.queues.includes(queue)) {
      for (const [field, states] of Object.entries(COUNTS)) {
        if (states.includes(agent.state)) {
          counts[field] += 1;
        }
      }
    }
  }
  if (agentsKnown) {
    for (const [field, count] of Object.entries(counts)) {
      setText(tile, field, String(count));
    }
  }
  const waiting = callers.get(queue);
  if (waiting) {
    setText(tile, 'waiting', String(waiting.size));
    renderCallers(tile, [...waiting].sort(([, a], [, b]) => a.score - b.score)
      .map(([callId, caller]) => ({ callId, ...caller })));
  }
  tickTile(queue, tile, Date.now());
}

const tileSoon = perFrame(drawTile);

/** ordered: the waiting callers, first in line first. */
function renderCallers(tile, ordered) {
  const list = tile.querySelector('[data-field="callers"]');
  const rows = ordered.slice(0, LISTED).map((caller) => {
    const item = document.createElement('li');
    item.dataset.callId = caller.callId;
    item.dataset.enqueuedAt = String(caller.enqueuedAt);
    const name = document.createElement('span');
    name.className = 'caller-name';
    name.textContent = caller.name || 'Unknown caller';
    const number = document.createElement('span');
    number.className = 'caller-number';
    number.textContent = caller.number;
    const wait = document.createElement('span');
    wait.className = 'caller-wait';
    item.append(name, number, wait);
    return item;
  });
  if (ordered.length > LISTED) {
    const more = document.createElement('li');
    more.className = 'more';
    more.textContent = `… and ${ordered.length - LISTED} more`;
    rows.push(more);
  }
  list.replaceChildren(...rows);
  tile.querySelector('[data-field="no-callers"]').hidden = rows.length > 0;
}

/** A tile for a queue the page did not start with, in queue-number order among the others. */
function addTile(queue) {
  const tile = tileTemplate.cloneNode(true);
  tile.dataset.queue = queue.number;
  tile.setAttribute('aria-labelledby', `q-${queue.number}`);
  tile.querySelector('h2').id = `q-${queue.number}`;
  setText(tile, 'number', queue.number);
  describe(tile, queue);
  const next = [...tiles.keys()].filter((number) => number > queue.number).sort()[0];
  section.insertBefore(tile, next === undefined ? null : tiles.get(next));
  tiles.set(queue.number, tile);
}

function describe(tile, queue) {
  setText(tile, 'name', queue.name);
  setText(tile, 'target', `≤ ${queue.serviceLevelSeconds} s`);
}

/** The tenant's queues as they are now: tiles for new ones, none for deleted ones. */
async function refreshQueues() {
  const definitions = await getJson('/queues');
  const numbers = new Set(definitions.map((queue) => queue.number));
  for (const [number, tile] of tiles) {
    if (!numbers.has(number)) {
      tile.remove();
      tiles.delete(number);
      callers.delete(number);
    }
  }
  const added = definitions.filter((queue) => !tiles.has(queue.number));
  added.forEach(addTile);
  for (const queue of definitions) {
    describe(tiles.get(queue.number), queue); // a replaced definition may have a new name or target
  }
  document.getElementById('no-queues').hidden = tiles.size > 0;
  added.forEach((queue) => refresh(queue.number));
  added.forEach((queue) => tileSoon(queue.number, true));
}

/** While the agents are read: per agent, its last agent.state event meanwhile. */
let agentsDuringSnapshot = null;

/** False until the first snapshot of the agents: the counts show "–" rather than a wrong 0. */
let agentsKnown = false;

/** Every logged-in agent with its state and queues, wherever their phone is. */
async function refreshAgents() {
  const arrived = new Map();
  agentsDuringSnapshot = arrived;
  let sessions;
  try {
    sessions = await getJson('/agents');
  } finally {
    agentsDuringSnapshot = null;
  }
  agents.clear();
  for (const agent of sessions) {
    agents.set(agent.agentId, { state: agent.state, queues: agent.queues, version: agent.version });
  }
  arrived.forEach((fields, agentId) => applyAgent(agentId, fields)); // newer than the snapshot, or the same
  agentsKnown = true;
  tiles.forEach((_, queue) => tileSoon(queue, true));
}

/** An agent changed state: the counts of the queues it was and is in. */
function applyAgent(agentId, fields) {
  const before = agents.get(agentId);
  const version = Number(fields.version);
  if (before && before.version != null && before.version > version && fields.state !== 'logged-out') {
    return; // a snapshot read after this event already holds a newer state
  }
  const queues = fields.queues ? fields.queues.split(',') : [];
  if (fields.state === 'logged-out') {
    agents.delete(agentId);
  } else {
    agents.set(agentId, { state: fields.state, queues, version });
  }
  for (const queue of new Set([...(before?.queues ?? []), ...queues])) {
    tileSoon(queue, true);
  }
}

/** Per queue whose list is being read: the caller events that arrived meanwhile, applied again over the list. */
const duringSnapshot = new Map();

/** A caller event: the list of the queue (or queues) it concerns. */
function applyCaller(event) {
  const fields = event.fields ?? {};
  duringSnapshot.get(event.queue)?.push(event);
  if (fields.from && fields.from !== event.queue) {
    duringSnapshot.get(fields.from)?.push(event);
  }
  const waiting = callers.get(event.queue);
  switch (event.kind) {
    case 'caller.enqueued':
      waiting?.set(event.callId, { name: fields.name, number: fields.number, score: Number(fields.score),
        enqueuedAt: Number(fields.enqueuedAt || Date.parse(event.at ?? '') || Date.now()) });
      break;
    case 'caller.moved': {
      if (fields.from && fields.from !== event.queue) {
        callers.get(fields.from)?.delete(event.callId);
        tileSoon(fields.from, true);
      }
      waiting?.set(event.callId, { name: fields.name, number: fields.number, score: Number(fields.score),
        enqueuedAt: Number(fields.enqueuedAt) });
      break;
    }
    case 'caller.left':
    case 'connect':
      waiting?.delete(event.callId);
      break;
    default:
      return;
  }
  tileSoon(event.queue, true);
}

/** Waits grow without events: counted on here from each caller's enqueue time. */
function tick() {
  const now = Date.now();
  tiles.forEach((tile, queue) => tickTile(queue, tile, now));
}

function tickTile(queue, tile, now) {
  const waiting = callers.get(queue);
  if (!waiting) {
    return;
  }
  let oldest = Infinity;
  waiting.forEach((caller) => {
    oldest = Math.min(oldest, caller.enqueuedAt);
  });
  const longest = waiting.size === 0 ? 0 : Math.max(0, (now - oldest) / 1000);
  setText(tile, 'longest', duration(longest));
  const level = levels.has(queue) ? levels.get(queue) : null;
  colour(tile, assess({ waiting: waiting.size, longestWaitSeconds: longest, serviceLevelPercent: level },
    thresholds[queue]));
  for (const item of tile.querySelectorAll('[data-field="callers"] li[data-call-id]')) {
    item.querySelector('.caller-wait').textContent = duration((now - Number(item.dataset.enqueuedAt)) / 1000);
  }
}

/** The tile's level, each figure's level and icon, and the sentence saying what crossed which level. */
function colour(tile, { level, byMetric, reasons }) {
  tile.dataset.level = level;
  for (const figure of tile.querySelectorAll('[data-metric]')) {
    const figureLevel = byMetric[figure.dataset.metric] ?? 'ok';
    figure.dataset.level = figureLevel;
    figure.querySelector('.level-icon').textContent = LEVELS[figureLevel].icon;
  }
  const status = tile.querySelector('[data-field="status"]');
  const text = reasons.join(' · ');
  if (status.textContent !== text) {
    status.textContent = text;
  }
  status.hidden = reasons.length === 0;
}

async function refreshThresholds() {
  thresholds = await getJson('/wallboard/thresholds');
  tick();
}

const refresh = coalescer((key) => {
  if (key === THRESHOLDS) {
    return refreshThresholds();
  }
  return key === QUEUES ? refreshQueues() : refreshQueue(key);
});

function refreshAll() {
  refresh(QUEUES);
  refresh(THRESHOLDS);
  tiles.forEach((_, queue) => refresh(queue));
  refreshAgents().catch((e) => console.warn('agents not read', e));
}

/** Per agent, its last agent.state event not yet applied: a burst for one agent is counted once. */
const agentSoon = perFrame(applyAgent);

connectEvents({
  onOpen: refreshAll, // first load, and catching up after a dropped connection
  onFigures: showFigures,
  onEvent: (event) => {
    if (event.kind === 'queue.saved' || event.kind === 'queue.deleted') {
      refresh(QUEUES); // a definition changed: new tile, gone tile, or a new name and target
    } else if (event.kind === THRESHOLDS_SAVED) {
      refresh(THRESHOLDS);
    } else if (event.kind === 'agent.state' && event.agentId && event.fields?.state) {
      agentsDuringSnapshot?.set(event.agentId, event.fields);
      agentSoon(event.agentId, event.fields);
    } else if (event.queue) {
      applyCaller(event);
    }
  },
});
window.setInterval(tick, 1000);
