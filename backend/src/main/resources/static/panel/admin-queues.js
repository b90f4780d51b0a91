// Administration of queues: the list, and an editor that writes the whole definition back (POST a new queue, PUT a
// changed one), keeping the settings the form does not show. The API's validation lands on the field at fault.
import { getJson, send } from './api.js';
import { confirmAction, refusal, report } from './actions.js';
import { connectEvents } from './events.js';
import { clearErrors, numberOrNull, showErrors } from './forms.js';

const body = document.querySelector('#queues tbody');
const form = document.getElementById('queue-form');
const members = document.getElementById('members');
const memberTemplate = document.getElementById('member-row').content.querySelector('tr');
const NUMBERS = ['ringTimeoutSeconds', 'retryDelaySeconds', 'wrapUpSeconds', 'maxWaitSeconds', 'maxLength',
  'serviceLevelSeconds', 'tierDelaySeconds', 'maxMisses'];
/** The definition being edited as the API gave it (null for a new queue). */
let editing = null;

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renumberMembers() {
  [...members.querySelectorAll('tr')].forEach((row, i) => {
    for (const input of row.querySelectorAll('input')) {
      input.name = input.name.replace(/members\[\d+\]/, `members[${i}]`);
    }
  });
}

function addMember(member) {
  const row = memberTemplate.cloneNode(true);
  if (member) {
    row.querySelector('[name$=".agent"]').value = member.agent;
    row.querySelector('[name$=".tier"]').value = String(member.tier);
    row.querySelector('[name$=".penalty"]').value = String(member.penalty);
  }
  row.querySelector('.remove').addEventListener('click', () => {
    row.remove();
    renumberMembers();
  });
  members.append(row);
  renumberMembers();
  return row;
}

function edit(queue) {
  editing = queue;
  clearErrors(form);
  form.hidden = false;
  document.getElementById('editor-title').textContent = queue ? `Queue ${queue.number} · ${queue.name}` : 'New queue';
  form.elements.number.value = queue?.number ?? '';
  form.elements.number.readOnly = Boolean(queue);
  form.elements.name.value = queue?.name ?? '';
  form.elements.strategy.value = queue?.strategy ?? 'longest-idle';
  const defaults = { ringTimeoutSeconds: 15, retryDelaySeconds: 5, wrapUpSeconds: 10, maxWaitSeconds: 0,
    maxLength: 0, serviceLevelSeconds: 20, tierDelaySeconds: 30, maxMisses: 3 };
  for (const name of NUMBERS) {
    form.elements[name].value = String(queue ? queue[name] : defaults[name]);
  }
  members.replaceChildren();
  (queue?.members ?? []).forEach(addMember);
  (queue ? form.elements.name : form.elements.number).focus();
}

function definition() {
  const changed = { ...(editing ?? {}) };
  changed.number = form.elements.number.value.trim();
  changed.name = form.elements.name.value.trim();
  changed.strategy = form.elements.strategy.value;
  for (const name of NUMBERS) {
    changed[name] = numberOrNull(form.elements[name]);
  }
  changed.members = [...members.querySelectorAll('tr')].map((row) => ({
    agent: row.querySelector('[name$=".agent"]').value.trim(),
    tier: numberOrNull(row.querySelector('[name$=".tier"]')),
    penalty: numberOrNull(row.querySelector('[name$=".penalty"]')),
  }));
  return changed;
}

function render(queues) {
  queues.sort((a, b) => a.number.localeCompare(b.number));
  body.replaceChildren(...queues.map((queue) => {
    const row = document.createElement('tr');
    row.dataset.queue = queue.number;
    const head = document.createElement('th');
    head.scope = 'row';
    const name = document.createElement('span');
    name.className = 'queue-name';
    name.textContent = queue.name;
    const number = document.createElement('span');
    number.className = 'agent-ext';
    number.textContent = queue.number;
    head.append(name, number);
    row.append(head);
    cell(row, queue.strategy);
    cell(row, String(queue.members.length), 'num');
    cell(row, `${queue.ringTimeoutSeconds} s`, 'num');
    cell(row, `${queue.wrapUpSeconds} s`, 'num');
    cell(row, `${queue.serviceLevelSeconds} s`, 'num');
    const actions = cell(row, '', 'actions');
    const editButton = document.createElement('button');
    editButton.type = 'button';
    editButton.dataset.action = 'edit';
    editButton.textContent = 'Edit';
    editButton.addEventListener('click', () => edit(queue));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.dataset.action = 'delete';
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => removeQueue(queue));
    actions.append(editButton, remove);
    return row;
  }));
}

async function removeQueue(queue) {
  const ok = await confirmAction(`Delete queue ${queue.number} (${queue.name})? Its callers must have been moved.`);
  if (ok === null) {
    return;
  }
  const answer = await send('DELETE', `/queues/${encodeURIComponent(queue.number)}`);
  report(answer.ok, answer.ok ? `Queue ${queue.number} deleted.` : `Queue ${queue.number} not deleted: ${refusal(answer)}`);
  if (answer.ok && editing?.number === queue.number) {
    form.hidden = true;
  }
  await load();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const queue = definition();
  const answer = editing
    ? await send('PUT', `/queues/${encodeURIComponent(editing.number)}`, queue)
    : await send('POST', '/queues', queue);
  if (!answer.ok) {
    showErrors(form, answer);
    report(false, `Queue ${queue.number || ''} not saved: ${refusal(answer)}`);
    return;
  }
  clearErrors(form);
  report(true, `Queue ${answer.body.number} (${answer.body.name}) saved.`);
  await load();
  edit(answer.body);
});

document.getElementById('new-queue').addEventListener('click', () => edit(null));
document.getElementById('add-member').addEventListener('click', () => addMember(null).querySelector('input').focus());
document.getElementById('cancel-edit').addEventListener('click', () => {
  form.hidden = true;
  editing = null;
});

async function load() {
  render(await getJson('/queues'));
}

connectEvents({
  onOpen: () => load().catch((e) => console.warn('queues failed to load', e)),
  onEvent: (event) => {
    if (event.kind === 'queue.saved' || event.kind === 'queue.deleted') {
      load().catch((e) => console.warn('queues failed to load', e));
    }
  },
});
