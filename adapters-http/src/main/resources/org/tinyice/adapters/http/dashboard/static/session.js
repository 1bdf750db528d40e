// What every dashboard page shares: the session (user, role, CSRF token), the top bar, and POSTs that
// carry the CSRF token and show what went wrong.
const $ = id => document.getElementById(id);
let current = null;

/** The session, after filling the top bar; a page without one goes to the login page. */
export async function startSession() {
  const answer = await fetch('/admin/session', { credentials: 'same-origin' });
  if (answer.status === 401) { location.href = '/admin/login'; return new Promise(() => {}); }
  current = await answer.json();
  $('who-name').textContent = current.user;
  $('who-role').textContent = current.role;
  $('logout').addEventListener('click', logOut);
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.getAttribute('href') === location.pathname) link.setAttribute('aria-current', 'page');
  }
  return current;
}

/**
 * A state-changing request: url-encoded {@code fields} (if any), the CSRF token in a header. Shows the
 * server's error in #action-error (or hides it on success) and answers the parsed body.
 */
export async function post(url, fields) {
  const options = { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': current.csrf_token } };
  if (fields) {
    options.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    options.body = new URLSearchParams(fields).toString();
  }
  const answer = await fetch(url, options);
  if (answer.status === 401) { location.href = '/admin/login'; return { ok: false, body: {} }; }
  const body = await answer.json().catch(() => ({ error: answer.statusText }));
  showError(answer.ok ? '' : (body.error || `failed (${answer.status})`));
  return { ok: answer.ok, status: answer.status, body };
}

/** GET a dashboard JSON answer; null (after showing why) when it failed. */
export async function getJson(url) {
  const answer = await fetch(url, { credentials: 'same-origin' });
  if (answer.status === 401) { location.href = '/admin/login'; return null; }
  if (!answer.ok) {
    const body = await answer.json().catch(() => ({}));
    showError(body.error || `failed (${answer.status})`);
    return null;
  }
  showError('');
  return answer.json();
}

export function showError(message) {
  const box = $('action-error');
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
}

/** Two clicks for what takes a station off the air: a stray click must not. */
export function armed(button, label, confirmLabel, action) {
  button.addEventListener('click', async () => {
    if (button.dataset.armed !== 'yes') {
      button.dataset.armed = 'yes';
      button.textContent = confirmLabel;
      setTimeout(() => { button.dataset.armed = ''; button.textContent = label; }, 3000);
      return;
    }
    button.dataset.armed = '';
    button.textContent = label;
    button.disabled = true;
    try { await action(); } finally { button.disabled = false; }
  });
}

async function logOut() {
  await post('/admin/logout');
  location.href = '/admin/login';
}
