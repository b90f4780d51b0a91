// Callback tickets: read from the node's /callback-tickets (the callback service's Redis keys), refreshed on every
// callback.ticket event; assign and cancel are confirmed and their result (or the refusal) shown.
import { getJson, send } from './api.js';
import { confirmAction, refusal, report } from './actions.js';
import { coalescer, connectEvents } from './events.js';
import { duration, setText } from './format.js';

const body = document.querySelector('#tickets tbody');
const template = document.getElementById('ticket-row').content.querySelector('tr');
const filter = document.getElementById('states');
/** Each state with its word and icon, so colour is never the only signal. */
const STATES = {
  open: { word: 'Open', icon: '○' },
  offered: { word: 'Offered', icon: '♪' },
  dialling: { word: 'Dialling', icon: '☎' },
  connected: { word: 'Connected', icon: '☎' },
  'retry-wait': { word: 'Retry wait', icon: '↻' },
  done: { word: 'Done', icon: '✔' },
  failed: { word: 'Failed', icon: '✖' },
  cancelled: { word: 'Cancelled', icon: '⊘' },
};
const CHANGEABLE = new Set(['open', 'retry-wait']);

function shownStates() {
  return [...filter.querySelectorAll('input:checked')].map((box) => box.value);
}

function rowFor(ticket) {
  const row = template.cloneNode(true);
  row.dataset.ticket = ticket.id;
  row.dataset.state = ticket.state;
  row.dataset.createdAt = String(Date.parse(ticket.createdAt));
  setText(row, 'name', ticket.callerName || 'Unknown caller');
  setText(row, 'number', ticket.callerNumber);
  setText(row, 'queue', ticket.queue);
  const state = STATES[ticket.state] ?? { word: ticket.state, icon: '?' };
  setText(row, 'state', `${state.icon} ${state.word}`);
  setText(row, 'reason', ticket.reason ? `(${ticket.reason})` : '');
  setText(row, 'attempts', `${ticket.attempts} / ${ticket.maxAttempts}`);
  setText(row, 'assignee', ticket.assignee || '–');
  const label = `${ticket.callerName || ticket.callerNumber} (${ticket.callerNumber}), queue ${ticket.queue}`;
  for (const button of row.querySelectorAll('button')) {
    button.disabled = !CHANGEABLE.has(ticket.state);
    button.title = button.disabled ? `${state.word}: the callback service is working it or it is finished` : '';
  }
  row.querySelector('[data-action="assign"]').addEventListener('click', () => assign(ticket, label));
  row.querySelector('[data-action="cancel"]').addEventListener('click', () => cancel(ticket, label));
  return row;
}

async function assign(ticket, label) {
  const values = await confirmAction(`Assign the callback of ${label} to an agent?`, ['agent-field']);
  if (values === null) {
    return;
  }
  const answer = await send('POST', `/callback-tickets/${encodeURIComponent(ticket.id)}/assign`,
    { agent: values.agent.trim() });
  report(answer.ok, answer.ok ? `Callback of ${label} assigned to ${answer.body.assignee}.`
    : `Not assigned: ${refusal(answer)}`);
  refresh('all');
}

async function cancel(ticket, label) {
  const values = await confirmAction(`Cancel the callback of ${label}? Nobody will call them back.`);
  if (values === null) {
    return;
  }
  const answer = await send('POST', `/callback-tickets/${encodeURIComponent(ticket.id)}/cancel`);
  report(answer.ok, answer.ok ? `Callback of ${label} cancelled.` : `Not cancelled: ${refusal(answer)}`);
  refresh('all');
}

async function load() {
  const states = shownStates();
  const tickets = states.length === 0 ? [] : await getJson(`/callback-tickets?state=${states.join(',')}`);
  body.replaceChildren(...tickets.map(rowFor));
  document.getElementById('no-tickets').hidden = tickets.length > 0;
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1);
  tick();
}

function tick() {
  const now = Date.now(); // ages from each ticket's creation time, by the browser's clock
  for (const row of body.querySelectorAll('tr[data-created-at]')) {
    setText(row, 'age', duration((now - Number(row.dataset.createdAt)) / 1000));
  }
}

const refresh = coalescer(() => load());
filter.addEventListener('change', () => refresh('all'));
connectEvents({
  onOpen: () => refresh('all'),
  onEvent: (event) => {
    if (event.kind === 'callback.ticket') {
      refresh('all');
    }
  },
});
window.setInterval(tick, 1000);
