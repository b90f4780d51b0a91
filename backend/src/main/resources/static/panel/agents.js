// Agent grid: every agent's state, time in state (ticking here), reason, node and today's figures; supervisor actions.
import { getJson, send } from './api.js';
import { coalescer, connectEvents } from './events.js';
import { duration, STATES, setText } from './format.js';
import { confirmAction, refusal, report } from './actions.js';

const body = document.querySelector('#agents tbody');
const template = document.getElementById('agent-row').content.querySelector('tr');

/** Agent id → its row: 200 events a second for 500 agents must not search the table each time. */
const rows = new Map();

function row(agentId) {
  let tr = rows.get(agentId) ?? body.querySelector(`tr[data-agent="${CSS.escape(agentId)}"]`);
  if (!tr) {
    // Logged in but not in the roster rendered with the page (added since, or a supervisor taking calls).
    tr = template.cloneNode(true);
    tr.dataset.agent = agentId;
    tr.querySelector('.agent-name').textContent = agentId;
    body.append(tr);
  }
  rows.set(agentId, tr);
  return tr;
}

async function refresh() {
  const [sessions, statistics, calls] = await Promise.all([getJson('/agents'), getJson('/agents/statistics'),
    getJson('/calls')]);
  const seen = new Set();
  for (const status of sessions) {
    seen.add(status.agentId);
    show(row(status.agentId), status);
  }
  for (const tr of body.querySelectorAll('tr[data-agent]')) {
    if (!seen.has(tr.dataset.agent)) {
      show(tr, { state: 'logged-out', reason: '', node: '', since: null });
    }
  }
  const callOf = new Map(calls.map((call) => [call.agentId, call]));
  for (const tr of body.querySelectorAll('tr[data-agent]')) {
    showCall(tr, callOf.get(tr.dataset.agent));
  }
  for (const figures of statistics) {
    const tr = body.querySelector(`tr[data-agent="${CSS.escape(figures.agentId)}"]`);
    if (tr) {
      setText(tr, 'calls', String(figures.callsAnswered));
      setText(tr, 'talk', duration(figures.talkSeconds));
    }
  }
  tick();
}

function show(tr, status) {
  // A refetch answered after a newer event (its version higher) must not put the older state back.
  if (status.version != null && Number(tr.dataset.version ?? -1) > Number(status.version)) {
    return;
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
  const monitorable = MONITORABLE.has(call?.state ?? 'connected');
  tr.querySelector('[data-action="monitor"]').disabled = !call || !monitorable || Boolean(call.monitor);
  tr.querySelector('[data-action="stop-monitor"]').hidden = !call?.monitor;
  if (!call) {
    cell.replaceChildren('–');
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
  for (const tr of body.querySelectorAll('tr[data-agent]')) {
    tickRow(tr, now);
  }
}

function tickRow(tr, now) {
  if (tr.dataset.since) {
    setText(tr, 'since', duration((now - Number(tr.dataset.since)) / 1000));
  }
  const length = tr.querySelector('.call-duration');
  if (length && tr.dataset.answeredAt) {
    length.textContent = duration((now - Number(tr.dataset.answeredAt)) / 1000);
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
  button.focus();
  refreshSoon('all');
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
  refreshSoon('all');
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
  refreshSoon('all');
}

body.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) {
    act(button).catch((e) => report(false, `the request failed: ${e.message}`));
  }
});

// States arrive with their events; the refetch (calls, today's figures) need not run more than once a second.
const refreshSoon = coalescer(refresh, 1000);
connectEvents({
  onOpen: () => refreshSoon('all'),
  onEvent: (event) => {
    const fields = event.fields ?? {};
    if (event.kind === 'agent.state' && event.agentId && fields.state) {
      // The event says the new state itself: shown at once; the refetch below brings calls and figures.
      const tr = row(event.agentId);
      show(tr, {
        state: fields.state,
        reason: fields.reason,
        node: fields.agentNode,
        since: fields.since ? new Date(Number(fields.since)).toISOString() : null,
        version: fields.version === undefined || fields.version === '' ? null : Number(fields.version),
      });
      tickRow(tr, Date.now());
    }
    if (event.agentId) {
      refreshSoon('all');
    }
  },
});
window.setInterval(tick, 1000);
