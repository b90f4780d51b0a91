// Wallboard: one tile per queue, filled from the REST figures and refreshed when an event of the queue arrives.
import { getJson } from './api.js';
import { coalescer, connectEvents } from './events.js';
import { duration, percent, setText } from './format.js';
import { assess, LEVELS } from './thresholds.js';

const section = document.querySelector('.tiles');
const tileTemplate = document.getElementById('queue-tile').content.querySelector('.tile');
const tiles = new Map([...section.querySelectorAll('.tile[data-queue]')].map((tile) => [tile.dataset.queue, tile]));
/** Per queue: what the last fetch said about the waiting callers, so waits tick between fetches. */
const waits = new Map();
/** Per queue: its tile thresholds, when it has any. */
let thresholds = {};

const AGENTS = 'agents';
const QUEUES = 'queues';
const THRESHOLDS = 'thresholds';
const THRESHOLDS_SAVED = 'wallboard.thresholds';
/** Shown for a service level with no call answered or abandoned today (the API answers null). */
const NO_LEVEL = '—';
/** Callers listed on a tile; the count above says how many wait in all. */
const LISTED = 8;

async function refreshQueue(queue) {
  const tile = tiles.get(queue);
  if (!tile) {
    return;
  }
  const path = `/queues/${encodeURIComponent(queue)}`;
  const [figures, callers] = await Promise.all([getJson(`${path}/figures`), getJson(`${path}/callers`)]);
  const fetchedAt = performance.now();
  setText(tile, 'waiting', String(figures.waiting));
  setText(tile, 'available', String(figures.availableAgents));
  setText(tile, 'answered', String(figures.answered));
  setText(tile, 'abandoned', String(figures.abandoned));
  const noLevel = figures.serviceLevelPercent == null; // null (or absent): no call answered or abandoned today
  const level = setText(tile, 'serviceLevel', noLevel ? NO_LEVEL : percent(figures.serviceLevelPercent));
  level.title = noLevel ? 'No call has been answered or abandoned today' : '';
  setText(tile, 'handleTime', duration(figures.averageHandleTimeSeconds));
  const oldest = callers.reduce((min, c) => Math.min(min, Date.parse(c.enqueuedAt)), Infinity);
  waits.set(queue, {
    longest: figures.waiting > 0 ? figures.longestWaitSeconds : 0,
    fetchedAt,
    oldest,
    waiting: figures.waiting,
    serviceLevelPercent: noLevel ? null : figures.serviceLevelPercent,
  });
  renderCallers(tile, callers);
  tick();
}

function renderCallers(tile, callers) {
  const list = tile.querySelector('[data-field="callers"]');
  const ordered = callers.slice().sort((a, b) => a.position - b.position);
  const rows = ordered.slice(0, LISTED).map((caller) => {
    const item = document.createElement('li');
    item.dataset.callId = caller.callId;
    item.dataset.enqueuedAt = String(Date.parse(caller.enqueuedAt));
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
      waits.delete(number);
    }
  }
  const added = definitions.filter((queue) => !tiles.has(queue.number));
  added.forEach(addTile);
  for (const queue of definitions) {
    describe(tiles.get(queue.number), queue); // a replaced definition may have a new name or target
  }
  document.getElementById('no-queues').hidden = tiles.size > 0;
  added.forEach((queue) => refresh(queue.number));
  if (added.length > 0) {
    refresh(AGENTS);
  }
}

/** Agent counts by state for each queue, from every agent's session (their queues, wherever their phone is). */
async function refreshAgents() {
  const agents = await getJson('/agents');
  for (const [queue, tile] of tiles) {
    const members = agents.filter((agent) => agent.queues.includes(queue));
    const count = (...states) => String(members.filter((agent) => states.includes(agent.state)).length);
    setText(tile, 'onCall', count('on-call', 'reserved'));
    setText(tile, 'wrapUp', count('wrap-up'));
    setText(tile, 'notReady', count('not-ready'));
  }
}

/** Waits grow between fetches without events: count them on here, from the server's figure. */
function tick() {
  const now = performance.now();
  for (const [queue, tile] of tiles) {
    const wait = waits.get(queue);
    if (!wait) {
      continue;
    }
    const longest = wait.longest === 0 ? 0 : wait.longest + (now - wait.fetchedAt) / 1000;
    setText(tile, 'longest', duration(longest));
    colour(tile, assess({ ...wait, longestWaitSeconds: longest }, thresholds[queue]));
    for (const item of tile.querySelectorAll('[data-field="callers"] li[data-call-id]')) {
      const behindOldest = (Number(item.dataset.enqueuedAt) - wait.oldest) / 1000;
      item.querySelector('.caller-wait').textContent = duration(longest - behindOldest);
    }
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
  if (key === AGENTS) {
    return refreshAgents();
  }
  if (key === THRESHOLDS) {
    return refreshThresholds();
  }
  return key === QUEUES ? refreshQueues() : refreshQueue(key);
});

function refreshAll() {
  refresh(QUEUES);
  refresh(AGENTS);
  refresh(THRESHOLDS);
  tiles.forEach((_, queue) => refresh(queue));
}

connectEvents({
  onOpen: refreshAll, // first load, and catching up after a dropped connection
  onEvent: (event) => {
    if (event.kind === 'queue.saved' || event.kind === 'queue.deleted') {
      refresh(QUEUES); // a definition changed: new tile, gone tile, or a new name and target
    }
    if (event.kind === THRESHOLDS_SAVED) {
      refresh(THRESHOLDS);
    }
    if (event.queue && tiles.has(event.queue)) {
      refresh(event.queue);
    }
    if (event.agentId) {
      // An agent's state moves the figures of every queue they belong to (available agents among them).
      refreshAll();
    }
  },
});
window.setInterval(tick, 1000);
