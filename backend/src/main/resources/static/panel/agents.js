// Agent grid: every agent's state, time in state (ticking here), reason, node and today's figures; supervisor actions.
import { getJson, send } from './api.js';
import { coalescer, connectEvents, perFrame } from './events.js';
import { duration, STATES, setText } from './format.js';
import { confirmAction, refusal, report } from './actions.js';

const body = document.querySelector('#agents tbody');
const template = document.getElementById('agent-row').content.querySelector('tr');

/** Agent id → its row: 200 events a second for 500 agents must not search the table each time. */
const rows = new Map([...body.querySelectorAll('tr[data-agent]')].map((tr) => [tr.dataset.agent, tr]));

/**
 * The rows on screen: only they tick each second (a row scrolled into view is brought up to date at once), so a
 * grid of 500 agents redraws the few dozen one sees, not all of them.
 */
const visible = new Set();
const onScreen = new IntersectionObserver((entries) => {
  const now = Date.now();
  for (const entry of entries) {
    if (entry.isIntersecting) {
      visible.add(entry.target);
      tickRow(entry.target, now);
    } else {
      visible.delete(entry.target);
    }
  }
});
rows.forEach((tr) => onScreen.observe(tr));

function row(agentId) {
  let tr = rows.get(agentId);
  if (!tr) {
    // Logged in but not in the roster rendered with the page (added since, or a supervisor taking calls).
    tr = template.cloneNode(true);
    tr.dataset.agent = agentId;
    tr.querySelector('.agent-name').textContent = agentId;
    body.append(tr);
    onScreen.observe(tr);
  }
  rows.set(agentId, tr);
  return tr;
}

/**
 * The whole grid from the REST API: on the first connection and after every reconnect (the events missed while away
 * are replayed too, but agents that logged out long ago, today's figures of agents without a session and monitors
 * are simplest read whole). From there on the grid follows the events alone.
 */
async function snapshot() {
  const [sessions, statistics, calls] = await Promise.all([getJson('/agents'), getJson('/agents/statistics'),
    getJson('/calls')]);
  const now = Date.now();
  const seen = new Set();
  for (const status of sessions) {
    seen.add(status.agentId);
    show(row(status.agentId), status);
  }
  for (const [agentId, tr] of rows) {
    if (!seen.has(agentId)) {
      show(tr, { state: 'logged-out', reason: '', node: '', since: null });
    }
  }
  const callOf = new Map(calls.map((call) => [call.agentId, call]));
  for (const [agentId, tr] of rows) {
    showCall(tr, callOf.get(agentId));
  }
  for (const figures of statistics) {
    const tr = rows.get(figures.agentId);
    if (tr) {
      // talkSeconds counts a call in progress up to now; the row counts it on from its state's start itself.
      const running = tr.dataset.state === 'on-call' && tr.dataset.since ? now - Number(tr.dataset.since) : 0;
      showToday(tr, figures.callsAnswered, figures.talkSeconds * 1000 - running);
    }
  }
  tick();
}

/** Today's answered calls, and the talk time of the calls ended today (the running call is added by tick). */
function showToday(tr, calls, talkMs) {
  setText(tr, 'calls', String(calls));
  tr.dataset.talkMs = String(Math.max(0, talkMs));
}

/** An agent.state event, as the node built it: state, reason, node, since, version, the queue call, today's figures. */
function applyState(agentId, fields) {
  const tr = row(agentId);
  const version = fields.version === undefined || fields.version === '' ? null : Number(fields.version);
  if (!show(tr, {
    state: fields.state,
    reason: fields.reason,
    node: fields.agentNode,
    since: fields.since ? new Date(Number(fields.since)).toISOString() : null,
    version,
  })) {
    return;
  }
  if (fields.state === 'on-call' && fields.call) {
    const same = tr.dataset.callId === fields.call;
    showCall(tr, {
      callId: fields.call,
      queue: fields.callQueue,
      callerNumber: fields.callerNumber,
      callerName: fields.callerName,
      answeredAt: Number(fields.since),
      monitor: same ? monitors.get(fields.call) : null,
    });
  } else {
    showCall(tr, null);
  }
  if (fields.callsToday !== undefined) {
    showToday(tr, Number(fields.callsToday), Number(fields.talkMsToday));
  }
  tickRow(tr, Date.now());
}

/** The monitor on each call, as the last read of /calls said (monitors change only on a supervisor's action). */
const monitors = new Map();

async function refreshMonitors() {
  const calls = await getJson('/calls');
  monitors.clear();
  const byCall = new Map();
  for (const call of calls) {
    byCall.set(call.callId, call);
    if (call.monitor) {
      monitors.set(call.callId, call.monitor);
    }
  }
  for (const tr of rows.values()) {
    const call = byCall.get(tr.dataset.callId);
    if (tr.dataset.callId && call) {
      showCall(tr, call);
    }
  }
  tick();
}

function show(tr, status) {
  // A refetch answered after a newer event (its version higher) must not put the older state back.
  if (status.version != null && Number(tr.dataset.version ?? -1) > Number(status.version)) {
    return false;
  }
  if (status.state === 'logged-out') {
    delete tr.dataset.version; // a new login may count its versions afresh
  } else if (status.version != null) {
    tr.dataset.version = String(status.version);
  }
  const state = STATES[status.state] ?? { word: status.state, icon: '?' };
  tr.dataset.state = status.state;
  tr.dataset.since = status.since ? String(Date.parse(status.since)) : '';
  setText(tr, 'state', `${state.icon} ${state.word}`);
  setText(tr, 'reason', status.reason || '–');
  setText(tr, 'node', status.node || '–');
  if (!status.since) {
    setText(tr, 'since', '–');
  }
  const loggedOut = status.state === 'logged-out';
  // Refused by the API during a call or a ringing offer: not offered here either.
  const busy = status.state === 'on-call' || status.state === 'reserved';
  tr.querySelector('[data-action="available"]').disabled = loggedOut || busy || status.state === 'available';
  tr.querySelector('[data-action="not-ready"]').disabled = loggedOut;
  tr.querySelector('[data-action="logout"]').disabled = loggedOut;
  return true;
}

const MONITOR_WORDS = { listen: 'listening', whisper: 'whispering', barge: 'barged in' };

/** How a call that is not a plain queue call is named; a parked caller has no agent and no row here. */
const CALL_KINDS = { callback: 'callback', 'ticket-dialling': 'ticket, calling the customer',
  'ticket-connected': 'ticket' };
/** States in which caller and agent talk, so a supervisor can be joined (LiveCall.State.monitorable). */
const MONITORABLE = new Set(['connected', 'callback', 'ticket-connected']);

/** The agent's live call, if any: caller (text only: it comes from SIP headers), queue, kind, duration, monitor. */
function showCall(tr, call) {
  const cell = tr.querySelector('[data-field="call"]');
  tr.dataset.callId = call ? call.callId : '';
  tr.dataset.answeredAt = call ? String(call.answeredAt || call.startedAt) : '';
  tr.dataset.monitor = call?.monitor ? call.monitor.mode : '';
  if (call?.monitor) {
    monitors.set(call.callId, call.monitor);
  }
  const monitorable = MONITORABLE.has(call?.state ?? 'connected');
  tr.querySelector('[data-action="monitor"]').disabled = !call || !monitorable || Boolean(call.monitor);
  tr.querySelector('[data-action="stop-monitor"]').hidden = !call?.monitor;
  if (!call) {
    if (cell.childElementCount > 0 || cell.textContent !== '–') {
      cell.replaceChildren('–');
    }
    return;
  }
  const caller = span('call-caller', call.callerName ? `${call.callerName} (${call.callerNumber})` : call.callerNumber);
  const kind = CALL_KINDS[call.state];
  const where = span('call-queue', `queue ${call.queue}${kind ? ` (${kind})` : ''} · `);
  where.append(span('call-duration', ''));
  const parts = [caller, where];
  if (call.monitor) {
    const { extension, mode, state } = call.monitor;
    parts.push(span('call-monitor', state === 'ringing' ? `calling ${extension} to ${mode}`
      : `${extension} ${MONITOR_WORDS[mode] ?? mode}`));
  }
  cell.replaceChildren(...parts);
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function tick() {
  const now = Date.now();
  for (const tr of visible) {
    tickRow(tr, now);
  }
}

function tickRow(tr, now) {
  const since = tr.dataset.since ? Number(tr.dataset.since) : 0;
  if (since) {
    setText(tr, 'since', duration((now - since) / 1000));
  }
  const length = tr.querySelector('.call-duration');
  if (length && tr.dataset.answeredAt) {
    length.textContent = duration((now - Number(tr.dataset.answeredAt)) / 1000);
  }
  if (tr.dataset.talkMs) {
    const running = tr.dataset.state === 'on-call' && since ? now - since : 0;
    setText(tr, 'talk', duration((Number(tr.dataset.talkMs) + running) / 1000));
  }
}

async function act(button) {
  const tr = button.closest('tr');
  const agentId = tr.dataset.agent;
  const name = tr.querySelector('.agent-name').textContent;
  const who = name === agentId ? agentId : `${name} (${agentId})`;
  const path = `/agents/${encodeURIComponent(agentId)}`;
  let request;
  switch (button.dataset.action) {
    case 'available': {
      if (await confirmAction(`Make ${who} available for queue calls?`) === null) return;
      request = send('PUT', `${path}/state`, { state: 'available' });
      break;
    }
    case 'not-ready': {
      const chosen = await confirmAction(`Put ${who} in not ready? They will get no queue calls.`, ['reason-field']);
      if (chosen === null) return;
      request = send('PUT', `${path}/state`, { state: 'not-ready', reason: chosen.reason });
      break;
    }
    case 'logout': {
      if (await confirmAction(`Log ${who} out of the call center?`) === null) return;
      request = send('DELETE', path);
      break;
    }
    case 'monitor':
      await monitor(button, who);
      return;
    case 'stop-monitor':
      await stopMonitor(button, who);
      return;
    default:
      return;
  }
  const answer = await request;
  if (answer.ok) {
    const state = STATES[answer.body?.state]?.word ?? answer.body?.state ?? 'changed';
    const reason = answer.body?.reason ? ` (${answer.body.reason})` : '';
    report(true, `${who} is now ${state.toLowerCase()}${reason}.`);
  } else {
    report(false, `${who}: refused — ${refusal(answer)}`);
  }
  button.focus(); // the row changes with the event the action causes
}

const extensionInput = document.getElementById('extension');

/** Listen, whisper or barge: the node holding the call's media calls the chosen phone into it. */
async function monitor(button, who) {
  const tr = button.closest('tr');
  const callId = tr.dataset.callId;
  const caller = tr.querySelector('.call-caller')?.textContent ?? 'the caller';
  extensionInput.value = extensionInput.dataset.own;
  const chosen = await confirmAction(`Join ${who}'s call with ${caller}? Your phone is called first; you join when`
    + ' you answer.', ['mode-field', 'extension-field']);
  if (chosen === null) {
    return;
  }
  const mode = chosen.mode;
  const answer = await send('POST', `/calls/${encodeURIComponent(callId)}/monitor`,
    { mode, extension: chosen.extension.trim() });
  if (answer.ok) {
    report(true, `Calling ${answer.body.extension} to ${mode} on ${who}'s call; answer that phone to join.`);
  } else {
    report(false, `${who}'s call: ${mode} refused — ${refusal(answer)}`);
  }
  button.focus();
}

async function stopMonitor(button, who) {
  const tr = button.closest('tr');
  if (await confirmAction(`Hang up the supervisor's phone on ${who}'s call?`) === null) {
    return;
  }
  const answer = await send('DELETE', `/calls/${encodeURIComponent(tr.dataset.callId)}/monitor`);
  if (answer.ok) {
    report(true, `Hanging up ${answer.body.extension} on ${who}'s call.`);
  } else {
    report(false, `${who}'s call: refused — ${refusal(answer)}`);
  }
}

body.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) {
    act(button).catch((e) => report(false, `the request failed: ${e.message}`));
  }
});

/** Per agent, the last agent.state event not yet drawn: a burst for one agent draws its last state once. */
const stateSoon = perFrame(applyState);
/** Events that arrived while a snapshot was read: applied again over it, as the snapshot may be older than they. */
let duringSnapshot = null;
const monitorsSoon = coalescer(refreshMonitors, 250);

async function resync() {
  duringSnapshot = new Map();
  try {
    await snapshot();
  } finally {
    const missed = duringSnapshot;
    duringSnapshot = null;
    missed.forEach((fields, agentId) => stateSoon(agentId, fields));
  }
}

connectEvents({
  onOpen: () => resync().catch((e) => console.warn('agents not read', e)),
  onEvent: (event) => {
    const fields = event.fields ?? {};
    if (event.kind === 'agent.state' && event.agentId && fields.state) {
      duringSnapshot?.set(event.agentId, fields);
      stateSoon(event.agentId, fields);
    } else if (event.kind?.startsWith('monitor.')) {
      monitorsSoon('all'); // rare (a supervisor's action), and its state lives with the call, not in the event
    }
  },
});
window.setInterval(tick, 1000);
