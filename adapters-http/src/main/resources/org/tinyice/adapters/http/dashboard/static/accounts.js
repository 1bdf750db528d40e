// Users (admins only) and API tokens. A new token's secret is shown once, from the answer that made it.
import { el, time } from './format.js';
import { armed, getJson, post, startSession } from './session.js';

const $ = id => document.getElementById(id);
let session = null;

async function start() {
  session = await startSession();
  $('create-token').addEventListener('submit', createToken);
  if (session.role === 'admin') {
    $('users-section').hidden = false;
    $('add-user').addEventListener('submit', addUser);
    await loadUsers();
  }
  await loadTokens();
  const mounts = await getJson('/admin/mounts');
  if (mounts) $('mount-paths').replaceChildren(...mounts.mounts.map(m => el('option', { value: m.mount })));
}

function done(message) {
  $('action-done').textContent = message;
  $('action-done').hidden = !message;
}

function formFields(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// ---- users ----

async function loadUsers() {
  const answer = await getJson('/admin/users');
  if (!answer) return;
  // the first admin comes first: it is admin_user in the file, keeps its role and cannot be removed
  $('users').replaceChildren(...answer.users.map((user, index) => userRow(user, index === 0)));
}

function userRow(user, first) {
  const edit = el('button', { type: 'button', class: 'secondary edit-user', text: 'Edit' });
  const remove = el('button', { type: 'button', class: 'danger remove-user', text: 'Remove' });
  const row = el('tr', { 'data-user': user.name },
    el('td', { text: user.name }), el('td', { text: user.role }),
    el('td', { text: user.role === 'admin' ? 'all' : (user.mounts.join(', ') || '—') }),
    el('td', {}, el('div', { class: 'row-actions' }, edit, first ? '' : remove)));
  edit.addEventListener('click', () => {
    const open = row.nextElementSibling;
    if (open && open.classList.contains('edit-row')) { open.remove(); return; }
    row.after(editRow(user, first));
  });
  if (!first) {
    armed(remove, 'Remove', 'Click again to remove', async () => {
      const removed = await post(`/admin/users/remove?name=${encodeURIComponent(user.name)}`);
      if (removed.ok) { done(`${user.name} removed; their sessions and tokens ended.`); await loadUsers(); await loadTokens(); }
    });
  }
  return row;
}

function editRow(user, first) {
  const role = el('select', { name: 'role' }, el('option', { value: 'dj', text: 'dj' }),
    el('option', { value: 'admin', text: 'admin' }));
  role.value = user.role;
  if (first) role.disabled = true;
  const form = el('form', { class: 'inline-form edit-user-form' },
    el('label', { text: 'Role ' }, role),
    el('label', { text: 'Mounts ' }, el('input', { name: 'mounts', value: user.mounts.join(', '),
      list: 'mount-paths' })),
    el('label', { text: 'New password ' }, el('input', { name: 'password', type: 'password', minlength: '8',
      autocomplete: 'new-password', placeholder: 'unchanged' })),
    el('button', { type: 'submit', text: 'Save' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const fields = { name: user.name, role: role.value, ...formFields(form) };
    const saved = await post('/admin/users/edit', fields);
    if (saved.ok) { done(`${user.name} changed.`); await loadUsers(); }
  });
  return el('tr', { class: 'edit-row' }, el('td', { colspan: '4' }, form));
}

async function addUser(event) {
  event.preventDefault();
  const form = event.target;
  const added = await post('/admin/users/add', formFields(form));
  if (added.ok) { done(`${form.elements.name.value} added.`); form.reset(); await loadUsers(); }
}

// ---- tokens ----

async function loadTokens() {
  const answer = await getJson('/admin/tokens');
  if (!answer) return;
  $('no-tokens').hidden = answer.tokens.length > 0;
  $('tokens-table').hidden = answer.tokens.length === 0;
  $('tokens').replaceChildren(...answer.tokens.map(token => {
    const revoke = el('button', { type: 'button', class: 'danger revoke-token', text: 'Revoke' });
    armed(revoke, 'Revoke', 'Click again to revoke', async () => {
      const revoked = await post(`/admin/tokens/revoke?id=${encodeURIComponent(token.id)}`);
      if (!revoked.ok) return;
      done(`Token ${token.id} revoked.`);
      if ($('new-token').dataset.id === token.id) { // a revoked secret is no use to anyone: take it off the page
        $('new-token').hidden = true;
        $('new-token-secret').textContent = '';
      }
      await loadTokens();
    });
    return el('tr', { 'data-token': token.id }, el('td', { class: 'num', text: token.id }),
      el('td', { text: token.name || '—' }), el('td', { text: token.user }), el('td', { text: time(token.created) }),
      el('td', {}, el('div', { class: 'row-actions' }, revoke)));
  }));
}

async function createToken(event) {
  event.preventDefault();
  const form = event.target;
  const created = await post('/admin/tokens/create', formFields(form));
  if (!created.ok) return;
  done('');
  $('new-token-name').textContent = created.body.token.name || created.body.token.id;
  $('new-token-secret').textContent = created.body.secret;
  $('new-token').dataset.id = created.body.token.id;
  $('new-token').hidden = false;
  form.reset();
  await loadTokens();
}

start();
