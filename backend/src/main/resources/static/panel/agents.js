// Agent grid: every agent's state, time in state (ticking here), reason, node and today's figures; supervisor actions.
import { getJson, send } from './api.js';
import { coalescer, connectEvents } from './events.js';
import { duration, STATES, setText } from './format.js';

const body = document.querySelector('#agents tbody');
const template = document.getElementById('agent-row').content.querySelector('tr');
const dialog = document.getElementById('confirm');
const result = document.getElementById('result');

function row(agentId) {
  let tr = body.querySelector(`tr[data-agent="${CSS.escape(agentId)}"]`);
  if (!tr) {
    // Logged in but not in the roster rendered with the page (added since, or a supervisor taking calls).
    tr = template.cloneNode(true);
    tr.dataset.agent = agentId;
    tr.querySelector('.agent-name').textContent = agentId;
    body.append(tr);
  }
  return tr;
}

async function refresh() {
  const [sessions, statistics] = await Promise.all([getJson('/agents'), getJson('/agents/statistics')]);
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
  tr.querySelector('[data-action="available"]').disabled = loggedOut || status.state === 'available';
  tr.querySelector('[data-action="not-ready"]').disabled = loggedOut;
  tr.querySelector('[data-action="logout"]').disabled = loggedOut;
}

function tick() {
  const now = Date.now();
  for (const tr of body.querySelectorAll('tr[data-agent]')) {
    if (tr.dataset.since) {
      setText(tr, 'since', duration((now - Number(tr.dataset.since)) / 1000));
    }
  }
}

/** Asks in the dialog; resolves to the chosen reason ('' when none is needed), or null when cancelled. */
function confirmAction(text, needsReason) {
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('reason-field').hidden = !needsReason;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? (needsReason ? document.getElementById('reason').value : '') : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (needsReason ? document.getElementById('reason') : document.getElementById('confirm-ok')).focus();
  });
}

function report(ok, text) {
  result.hidden = false;
  result.dataset.ok = String(ok);
  result.textContent = `${ok ? '✔' : '✖'} ${text}`;
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
      if (await confirmAction(`Make ${who} available for queue calls?`, false) === null) return;
      request = send('PUT', `${path}/state`, { state: 'available' });
      break;
    }
    case 'not-ready': {
      const reason = await confirmAction(`Put ${who} in not ready? They will get no queue calls.`, true);
      if (reason === null) return;
      request = send('PUT', `${path}/state`, { state: 'not-ready', reason });
      break;
    }
    case 'logout': {
      if (await confirmAction(`Log ${who} out of the call center?`, false) === null) return;
      request = send('DELETE', path);
      break;
    }
    default:
      return;
  }
  const answer = await request;
  if (answer.ok) {
    const state = STATES[answer.body?.state]?.word ?? answer.body?.state ?? 'changed';
    const reason = answer.body?.reason ? ` (${answer.body.reason})` : '';
    report(true, `${who} is now ${state.toLowerCase()}${reason}.`);
  } else {
    report(false, `${who}: refused — ${answer.body?.detail ?? `HTTP ${answer.status}`}`);
  }
  button.focus();
  refreshSoon('all');
}

body.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) {
    act(button).catch((e) => report(false, `the request failed: ${e.message}`));
  }
});

const refreshSoon = coalescer(refresh);
connectEvents({
  onOpen: () => refreshSoon('all'),
  onEvent: (event) => {
    if (event.agentId) {
      refreshSoon('all');
    }
  },
});
window.setInterval(tick, 1000);
