// Administration of users: the tenant's people (app users have their own API), created with POST and changed with
// PUT (only what the form changed; an empty password keeps the old one). The API's validation lands on the field.
import { getJson, send } from './api.js';
import { confirmAction, refusal, report } from './actions.js';
import { connectEvents } from './events.js';
import { clearErrors, showErrors } from './forms.js';

const body = document.querySelector('#users tbody');
const form = document.getElementById('user-form');
const filter = document.getElementById('filter');
let users = [];
/** The user being edited as the API gave it (null for a new one). */
let editing = null;

function skillsText(skills) {
  return Object.entries(skills ?? {}).map(([name, level]) => `${name}:${level}`).join(', ');
}

/** "sales:80, support:20" → {sales: 80, support: 20}; a part without a level is sent as it is for the API to judge. */
function skillsOf(text) {
  const skills = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, level] = part.split(':').map((p) => p.trim());
    skills[name] = level === undefined || level === '' ? null : Number(level);
  }
  return skills;
}

function edit(user) {
  editing = user;
  clearErrors(form);
  form.hidden = false;
  document.getElementById('editor-title').textContent = user ? `User ${user.extension}` : 'New user';
  form.elements.extension.value = user?.extension ?? '';
  form.elements.extension.readOnly = Boolean(user);
  form.elements.displayName.value = user?.displayName ?? '';
  form.elements.password.value = '';
  document.getElementById('password-hint').textContent = user
    ? 'leave empty to keep the current password' : 'at least 6 characters';
  for (const box of form.querySelectorAll('input[name="roles"]')) {
    box.checked = user ? user.roles.includes(box.value) : box.value === 'agent';
  }
  form.elements.skills.value = skillsText(user?.skills);
  (user ? form.elements.displayName : form.elements.extension).focus();
}

function request() {
  const roles = [...form.querySelectorAll('input[name="roles"]:checked')].map((box) => box.value);
  const password = form.elements.password.value;
  const changed = {
    displayName: form.elements.displayName.value.trim() || null,
    roles,
    skills: skillsOf(form.elements.skills.value),
  };
  if (editing) {
    if (password) changed.password = password;
    return changed;
  }
  return { extension: form.elements.extension.value.trim(), password, ...changed };
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

function render() {
  const text = filter.value.trim().toLowerCase();
  const shown = users.filter((user) => !text || user.extension.toLowerCase().includes(text)
    || (user.displayName ?? '').toLowerCase().includes(text));
  body.replaceChildren(...shown.map((user) => {
    const row = document.createElement('tr');
    row.dataset.user = user.extension;
    const head = document.createElement('th');
    head.scope = 'row';
    const name = document.createElement('span');
    name.textContent = user.displayName;
    const ext = document.createElement('span');
    ext.className = 'agent-ext';
    ext.textContent = user.extension;
    head.append(name, ext);
    row.append(head);
    const roles = cell(row, '');
    for (const role of user.roles) {
      const badge = document.createElement('span');
      badge.className = `role role-${role}`;
      badge.textContent = role;
      roles.append(badge);
    }
    cell(row, skillsText(user.skills) || '–');
    const actions = cell(row, '');
    actions.className = 'actions';
    const editButton = document.createElement('button');
    editButton.type = 'button';
    editButton.dataset.action = 'edit';
    editButton.textContent = 'Edit';
    editButton.addEventListener('click', () => edit(user));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.dataset.action = 'delete';
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => removeUser(user));
    actions.append(editButton, remove);
    return row;
  }));
}

async function removeUser(user) {
  const ok = await confirmAction(`Delete user ${user.extension} (${user.displayName})? They can no longer sign in`
    + ' or register a phone.');
  if (ok === null) {
    return;
  }
  const answer = await send('DELETE', `/users/${encodeURIComponent(user.extension)}`);
  report(answer.ok, answer.ok ? `User ${user.extension} deleted.` : `User ${user.extension} not deleted: ${refusal(answer)}`);
  await load();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const sent = request();
  const answer = editing
    ? await send('PUT', `/users/${encodeURIComponent(editing.extension)}`, sent)
    : await send('POST', '/users', sent);
  if (!answer.ok) {
    showErrors(form, answer);
    report(false, `User not saved: ${refusal(answer)}`);
    return;
  }
  clearErrors(form);
  report(true, `User ${answer.body.extension} (${answer.body.displayName}) saved.`);
  await load();
  edit(answer.body);
});

document.getElementById('new-user').addEventListener('click', () => edit(null));
document.getElementById('cancel-edit').addEventListener('click', () => {
  form.hidden = true;
  editing = null;
});
filter.addEventListener('input', render);

async function load() {
  users = await getJson('/users');
  users.sort((a, b) => a.extension.localeCompare(b.extension, undefined, { numeric: true }));
  render();
}

let loaded = false;
connectEvents({
  onOpen: () => {
    if (!loaded) {
      loaded = true;
      load().catch((e) => console.warn('users failed to load', e));
    }
  },
  onEvent: () => {},
});
