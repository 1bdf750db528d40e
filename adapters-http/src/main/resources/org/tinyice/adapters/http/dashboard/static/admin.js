// The dashboard: one EventSource on /admin/events (an event every 500 ms), actions as POSTs that carry
// the session's CSRF token. Everything is built with textContent: nothing from the server becomes HTML.
import { bytes, duration, el, rate, time } from './format.js';
import { armed, getJson, post, startSession } from './session.js';

const $ = id => document.getElementById(id);
const mountsBox = $('mounts');
const openMounts = new Set();
const lastCounts = new Map();
let session = null;
let events = null;

async function start() {
  session = await startSession();
  $('lockouts-section').hidden = session.role !== 'admin';
  $('bans-section').hidden = session.role !== 'admin';
  if (session.role === 'admin') {
    $('ban-form').addEventListener('submit', async e => {
      e.preventDefault();
      const answer = await post(`/admin/bans?address=${encodeURIComponent($('ban-address').value.trim())}`);
      if (answer.ok) $('ban-address').value = '';
      loadBans();
    });
    loadBans();
  }
  connect();
  setInterval(refreshOpenLists, 2000);
  if (session.role === 'admin') {
    refreshTls();
    setInterval(refreshTls, 60000); // certificates change by the day: a minute is plenty
  }
}

// The HTTPS certificate in force and, with ACME, when it renews and why the last try failed.
async function refreshTls() {
  const answer = await fetch('/admin/tls', { credentials: 'same-origin' }).catch(() => null);
  if (!answer || !answer.ok) return;
  const tls = await answer.json();
  $('tls-section').hidden = !tls.enabled;
  if (!tls.enabled) return;
  const row = $('tls-row');
  row.querySelector('.subject').textContent = tls.subject ?? '';
  row.querySelector('.valid-until').textContent = tls.acme && !tls.acme.valid_until
    ? 'waiting for the first ACME certificate' : (tls.valid_until ? time(tls.valid_until) : '');
  row.querySelector('.next-renewal').textContent = tls.acme ? time(tls.acme.next_renewal) : 'by hand (files)';
  row.querySelector('.error').textContent = (tls.acme && tls.acme.last_error) || tls.last_reload_error || '';
  row.querySelector('.sha256').textContent = tls.sha256 ?? '';
}

function connect() {
  $('live-state').hidden = false;
  events = new EventSource('/admin/events');
  events.addEventListener('stats', e => {
    setLive(true);
    render(JSON.parse(e.data));
  });
  events.addEventListener('logout', () => { events.close(); location.href = '/admin/login'; });
  events.onerror = async () => {
    setLive(false);
    // a closed stream may mean the session ended: then go to the login page, else the browser reconnects
    const answer = await fetch('/admin/session', { credentials: 'same-origin' }).catch(() => null);
    if (answer && answer.status === 401) { events.close(); location.href = '/admin/login'; }
  };
}

function setLive(live) {
  $('live-state').textContent = live ? 'live' : 'reconnecting…';
  $('live-state').classList.toggle('live', live);
}

function render(stats) {
  $('total-listeners').textContent = stats.listeners;
  $('total-hls').textContent = stats.hls_sessions;
  $('total-sources').textContent = stats.sources;
  $('total-in').textContent = rate(stats.bytes_in_per_second);
  $('total-out').textContent = rate(stats.bytes_out_per_second);
  $('total-uptime').textContent = duration(stats.uptime_seconds);
  $('total-heap').textContent = bytes(stats.heap_used);
  $('total-heap-max').textContent = `of ${bytes(stats.heap_max)}`;
  $('total-cpu').textContent = `${stats.cpu_percent} %`;
  renderMounts(stats.mounts, Date.parse(stats.time));
  renderRelays(stats.relays);
  renderLockouts(stats.lockouts);
  renderFaults(stats.faults || []);
}

function renderFaults(faults) {
  $('faults').hidden = faults.length === 0;
  $('faults-list').replaceChildren(...faults.map(f =>
    el('li', { text: `${f.part} (since ${new Date(f.since).toLocaleTimeString()}): ${f.problem}` })));
}

function fact(label, key, big = false) {
  return el('div', {}, el('dt', { text: label }), el('dd', { class: big ? `big ${key}` : key }));
}

function mountCard(path) {
  const card = el('article', { class: 'mount', 'data-mount': path },
    el('div', { class: 'mount-head' },
      el('span', { class: 'mount-path', text: path }),
      el('span', { class: 'mount-name' }),
      el('div', { class: 'mount-actions' },
        el('button', { type: 'button', class: 'secondary toggle-listeners', 'aria-expanded': 'false',
          text: 'Listeners' }),
        el('a', { class: 'button secondary', href: `/admin/history?mount=${encodeURIComponent(path)}`,
          text: 'History' }),
        el('a', { class: 'button secondary', href: `/admin/settings#${encodeURIComponent(path)}`,
          text: 'Settings' }),
        el('button', { type: 'button', class: 'danger kick-source', text: 'Kick source' }))),
    el('div', { class: 'now-playing' }, el('span', { class: 'label', text: 'Now playing' }),
      el('span', { class: 'title' })),
    el('dl', { class: 'facts' },
      fact('Listeners', 'listeners', true), fact('HLS sessions', 'hls'), fact('Peak', 'peak'), fact('Bitrate', 'bitrate'),
      fact('Type', 'type'), fact('In / out', 'traffic'), fact('Slow listeners', 'slow'),
      fact('On air for', 'since'), fact('Source', 'source'), fact('Source agent', 'agent'),
      fact('Visibility', 'visibility')),
    el('div', { class: 'listener-list', hidden: '' },
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'ID' }), el('th', { text: 'Address' }),
          el('th', { text: 'User agent' }), el('th', { text: 'Connected' }), el('th', { text: 'Sent' }),
          el('th', {}))),
        el('tbody', {})),
      el('p', { class: 'empty no-listeners', text: 'No listeners.', hidden: '' }),
      el('div', { class: 'move-all' },
        el('label', { text: 'Move all listeners to ' },
          el('select', { class: 'move-target' })),
        el('button', { type: 'button', class: 'secondary move-listeners', text: 'Move' }))));
  card.querySelector('.toggle-listeners').addEventListener('click', () => toggleListeners(card, path));
  armed(card.querySelector('.kick-source'), 'Kick source', 'Click again to kick',
    () => post(`/admin/sources/kick?mount=${encodeURIComponent(path)}`));
  card.querySelector('.move-listeners').addEventListener('click', async () => {
    const to = card.querySelector('.move-target').value;
    if (!to) return;
    const moved = await post(`/admin/listeners/move?mount=${encodeURIComponent(path)}&to=${encodeURIComponent(to)}`);
    if (moved.ok) loadListeners(card, path);
  });
  return card;
}

function renderMounts(mounts, now) {
  $('no-mounts').hidden = mounts.length > 0;
  const cards = new Map([...mountsBox.children].map(card => [card.dataset.mount, card]));
  for (const m of mounts) {
    let card = cards.get(m.mount);
    if (!card) {
      card = mountCard(m.mount);
      mountsBox.append(card);
    }
    cards.delete(m.mount);
    const set = (cls, text) => { card.querySelector(`.${cls}`).textContent = text; };
    set('mount-name', m.name || '');
    set('title', m.title || '—');
    set('listeners', m.listeners);
    set('hls', m.hls ? m.hls_sessions : 'not offered');
    set('peak', m.listener_peak);
    set('bitrate', m.bitrate_kbps ? `${m.bitrate_kbps} kbit/s` : '—');
    set('type', m.content_type);
    set('traffic', `${rate(m.bytes_in_per_second)} / ${rate(m.bytes_out_per_second)}`);
    set('slow', m.slow_listeners);
    set('since', duration((now - Date.parse(m.connected_since)) / 1000));
    set('source', m.source_address);
    set('agent', m.source_user_agent || '—');
    set('visibility', m.hidden ? 'hidden' : (m.public ? 'public' : 'not listed'));
    if (openMounts.has(m.mount) && lastCounts.get(m.mount) !== m.listeners) loadListeners(card, m.mount);
    lastCounts.set(m.mount, m.listeners);
  }
  for (const [path, gone] of cards) { gone.remove(); openMounts.delete(path); lastCounts.delete(path); }
  updateMoveTargets(mounts.map(m => m.mount));
}

// every live mount but the card's own; rebuilt only when the set of mounts changes (keeps the choice)
function updateMoveTargets(paths) {
  const key = paths.join(' ');
  if (mountsBox.dataset.targets === key) return;
  mountsBox.dataset.targets = key;
  for (const card of mountsBox.children) {
    const select = card.querySelector('.move-target');
    const chosen = select.value;
    const others = paths.filter(p => p !== card.dataset.mount);
    select.replaceChildren(...others.map(p => el('option', { value: p, text: p })));
    if (others.includes(chosen)) select.value = chosen;
    card.querySelector('.move-all').hidden = others.length === 0;
  }
}

function toggleListeners(card, path) {
  const list = card.querySelector('.listener-list');
  const open = list.hidden;
  list.hidden = !open;
  card.querySelector('.toggle-listeners').setAttribute('aria-expanded', String(open));
  if (open) { openMounts.add(path); loadListeners(card, path); } else { openMounts.delete(path); }
}

function refreshOpenLists() {
  for (const path of openMounts) {
    const card = [...mountsBox.children].find(c => c.dataset.mount === path);
    if (card) loadListeners(card, path);
  }
}

async function loadListeners(card, path) {
  const answer = await fetch(`/admin/listeners?mount=${encodeURIComponent(path)}`, { credentials: 'same-origin' });
  if (!answer.ok) return;
  const { listeners } = await answer.json();
  const body = card.querySelector('.listener-list tbody');
  // rows are kept per listener id and updated in place, so a Kick button never moves under the mouse
  const rows = new Map([...body.children].map(row => [row.dataset.listener, row]));
  for (const l of listeners) {
    const id = String(l.id);
    let row = rows.get(id);
    if (!row) {
      row = listenerRow(path, l);
      body.append(row);
    }
    rows.delete(id);
    row.querySelector('.connected').textContent = duration(l.connected_seconds);
    row.querySelector('.sent').textContent = bytes(l.bytes_sent);
  }
  for (const gone of rows.values()) gone.remove();
  card.querySelector('.no-listeners').hidden = listeners.length > 0;
}

function listenerRow(path, l) {
  const kick = el('button', { type: 'button', class: 'danger kick-listener', 'data-id': String(l.id),
    text: 'Kick' });
  kick.addEventListener('click', async () => {
    kick.disabled = true;
    const answer = await post(`/admin/listeners/kick?mount=${encodeURIComponent(path)}&id=${l.id}`);
    if (answer.ok) kick.closest('tr').remove(); else kick.disabled = false;
  });
  const actions = el('td', { class: 'actions' }, kick);
  if (session.role === 'admin') {
    // kicks it and bans its address (banned_ips, saved): two clicks, a ban outlives the listener
    const ban = el('button', { type: 'button', class: 'danger ban-listener', 'data-id': String(l.id), text: 'Ban' });
    armed(ban, 'Ban', 'Click again to ban', async () => {
      const answer = await post(`/admin/listeners/ban?mount=${encodeURIComponent(path)}&id=${l.id}`);
      if (answer.ok) { ban.closest('tr')?.remove(); loadBans(); }
    });
    actions.append(ban);
  }
  return el('tr', { 'data-listener': String(l.id) },
    el('td', { class: 'num', text: String(l.id) }), el('td', { text: l.address }),
    el('td', { text: l.user_agent || '—' }), el('td', { class: 'num connected' }),
    el('td', { class: 'num sent' }), actions);
}

async function loadBans() {
  const answer = await getJson('/admin/bans');
  if (!answer) return;
  $('no-bans').hidden = answer.banned.length > 0;
  $('bans-table').hidden = answer.banned.length === 0;
  $('bans').replaceChildren(...answer.banned.map(address => {
    const unban = el('button', { type: 'button', class: 'secondary unban', text: 'Unban' });
    unban.addEventListener('click', async () => {
      unban.disabled = true;
      await post(`/admin/bans/remove?address=${encodeURIComponent(address)}`);
      loadBans();
    });
    return el('tr', { 'data-address': address }, el('td', { text: address }), el('td', {}, unban));
  }));
}

// A relay's state in words: when a waiting relay tries next, since when an on-demand one idles.
function relayState(r) {
  switch (r.state) {
    case 'connected': return `connected since ${time(r.since)}`;
    case 'connecting': return 'connecting…';
    case 'waiting': return `waiting until ${time(r.next_attempt)}`;
    case 'idle': return 'on demand, idle';
    default: return 'stopped';
  }
}

function renderRelays(relays) {
  $('relays-section').hidden = relays.length === 0;
  $('relays').replaceChildren(...relays.map(r => el('tr', { 'data-relay': r.mount, class: `relay ${r.state}` },
    el('td', { class: 'upstream', text: r.upstream + (r.from_master ? ' (master)' : '') }),
    el('td', { class: 'mount', text: r.mount }),
    el('td', { class: 'state', text: relayState(r) }),
    el('td', { class: 'num', text: bytes(r.bytes_received) }),
    el('td', { class: 'title', text: r.title ?? '' }),
    el('td', { class: 'error', text: r.last_error ? `${r.last_error.what} (${time(r.last_error.at)})` : '' }))));
}

function renderLockouts(lockouts) {
  if (session.role !== 'admin') return;
  $('no-lockouts').hidden = lockouts.length > 0;
  $('lockouts-table').hidden = lockouts.length === 0;
  const shown = [...$('lockouts').children].map(row => row.dataset.address).join(' ');
  if (shown === lockouts.map(l => l.address).join(' ')) return; // unchanged: keep the buttons under the mouse
  $('lockouts').replaceChildren(...lockouts.map(l => {
    const lift = el('button', { type: 'button', class: 'secondary lift', text: 'Lift' });
    lift.addEventListener('click', () => post(`/admin/lockouts/lift?address=${encodeURIComponent(l.address)}`));
    return el('tr', { 'data-address': l.address }, el('td', { text: l.address }),
      el('td', { class: 'num', text: String(l.failures) }), el('td', { text: time(l.until) }), el('td', {}, lift));
  }));
}

start();
