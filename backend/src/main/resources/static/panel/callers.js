// Waiting callers: one table per queue, in offer order, live; move a caller to the head or to another queue.
import { getJson, send } from './api.js';
import { coalescer, connectEvents } from './events.js';
import { duration, setText } from './format.js';
import { confirmAction, refusal, report } from './actions.js';

const container = document.getElementById('queues');
const sectionTemplate = document.getElementById('queue-callers').content.querySelector('section');
const rowTemplate = document.getElementById('caller-row').content.querySelector('tr');
const targetSelect = document.getElementById('target');
/** Queue number → its section; and the definitions, for the names in the "move to" list. */
const sections = new Map();
let definitions = [];

const QUEUES = 'queues';

function section(queue) {
  let found = sections.get(queue.number);
  if (!found) {
    found = sectionTemplate.cloneNode(true);
    found.dataset.queue = queue.number;
    const next = [...sections.keys()].filter((number) => number > queue.number).sort()[0];
    container.insertBefore(found, next === undefined ? null : sections.get(next));
    sections.set(queue.number, found);
  }
  setText(found, 'name', queue.name);
  setText(found, 'number', queue.number);
  return found;
}

async function refreshQueues() {
  definitions = await getJson('/queues');
  const numbers = new Set(definitions.map((queue) => queue.number));
  for (const [number, gone] of sections) {
    if (!numbers.has(number)) {
      gone.remove();
      sections.delete(number);
    }
  }
  for (const queue of definitions) {
    const known = sections.has(queue.number);
    section(queue);
    if (!known) {
      refresh(queue.number);
    }
  }
  document.getElementById('no-queues').hidden = definitions.length > 0;
}

async function refreshCallers(number) {
  const shown = sections.get(number);
  if (!shown) {
    return;
  }
  const callers = await getJson(`/queues/${encodeURIComponent(number)}/callers`);
  const rows = callers.slice().sort((a, b) => a.position - b.position).map((caller) => {
    const tr = rowTemplate.cloneNode(true);
    tr.dataset.callId = caller.callId;
    tr.dataset.enqueuedAt = String(Date.parse(caller.enqueuedAt));
    // Name and number come from the caller's SIP headers: text only, never markup.
    setText(tr, 'position', String(caller.position));
    setText(tr, 'caller-name', caller.name || 'Unknown caller');
    setText(tr, 'caller-number', caller.number);
    setText(tr, 'priority', String(caller.priority));
    tr.querySelector('[data-action="head"]').disabled = caller.position === 1;
    tr.querySelector('[data-action="queue"]').disabled = definitions.length < 2;
    return tr;
  });
  shown.querySelector('tbody').replaceChildren(...rows);
  setText(shown, 'count', `${rows.length} waiting`);
  shown.querySelector('table').hidden = rows.length === 0;
  shown.querySelector('[data-field="none"]').hidden = rows.length > 0;
  tick();
}

/**
 * Waits count on in the browser between fetches. They are reckoned from the caller's enqueue time on this machine's
 * clock, so a browser clock that is off shifts them all alike; the order and the actions do not depend on it.
 */
function tick() {
  const now = Date.now();
  for (const tr of container.querySelectorAll('tr[data-call-id]')) {
    setText(tr, 'waited', duration((now - Number(tr.dataset.enqueuedAt)) / 1000));
  }
}

function describeCaller(tr) {
  const name = tr.querySelector('[data-field="caller-name"]').textContent;
  const number = tr.querySelector('[data-field="caller-number"]').textContent;
  return number ? `${name} (${number})` : name;
}

async function act(button) {
  const tr = button.closest('tr');
  const from = button.closest('section').dataset.queue;
  const callId = tr.dataset.callId;
  const who = describeCaller(tr);
  let to;
  if (button.dataset.action === 'head') {
    if (await confirmAction(`Move ${who} to the head of queue ${from}? They will be offered next.`) === null) {
      return;
    }
    to = 'head';
  } else {
    const others = definitions.filter((queue) => queue.number !== from);
    targetSelect.replaceChildren(...others.map((queue) => {
      const option = document.createElement('option');
      option.value = queue.number;
      option.textContent = `${queue.number} · ${queue.name}`;
      return option;
    }));
    const chosen = await confirmAction(`Move ${who} from queue ${from} to another queue? They keep their priority`
      + ' and the time they have waited.', ['target-field']);
    if (chosen === null) {
      return;
    }
    to = chosen.target;
  }
  const answer = await send('POST', `/queues/${encodeURIComponent(from)}/callers/${encodeURIComponent(callId)}/move`,
    { to });
  if (answer.ok) {
    report(true, `${who} now waits in queue ${answer.body.queue} at position ${answer.body.position}.`);
  } else {
    report(false, `${who} was not moved — ${refusal(answer)}`);
  }
  refresh(from);
  if (to !== 'head') {
    refresh(to);
  }
}

container.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) {
    act(button).catch((e) => report(false, `the request failed: ${e.message}`));
  }
});

const refresh = coalescer((key) => (key === QUEUES ? refreshQueues() : refreshCallers(key)));

connectEvents({
  onOpen: () => {
    refresh(QUEUES);
    sections.forEach((_, number) => refresh(number));
  },
  onEvent: (event) => {
    if (event.kind === 'queue.saved' || event.kind === 'queue.deleted') {
      refresh(QUEUES);
    }
    if (event.queue && sections.has(event.queue)) {
      refresh(event.queue);
    }
    if (event.kind === 'caller.moved' && event.fields?.from && sections.has(event.fields.from)) {
      refresh(event.fields.from); // the queue it left
    }
  },
});
window.setInterval(tick, 1000);
