// Mount settings: one form per mount (configured or live), saved with POST /admin/mounts/edit; enable
// and disable take effect at once. Nothing from the server becomes HTML.
import { el } from './format.js';
import { armed, getJson, post, startSession } from './session.js';

const $ = id => document.getElementById(id);
const box = $('settings');

async function start() {
  await startSession();
  $('add-mount').addEventListener('submit', event => {
    event.preventDefault();
    const path = $('new-mount').value.trim();
    if (!path.startsWith('/')) return;
    const existing = box.querySelector(`[data-mount="${CSS.escape(path)}"]`);
    if (existing) { existing.scrollIntoView(); return; }
    box.append(mountForm({ mount: path, max_listeners: 0, public: true, hidden: false, fallback_override: false, low_latency: false,
      enabled: true, has_password: false, configured: false, live: false }));
    $('no-settings').hidden = true;
    $('new-mount').value = '';
  });
  await load();
  if (location.hash) {
    const card = box.querySelector(`[data-mount="${CSS.escape(decodeURIComponent(location.hash.slice(1)))}"]`);
    if (card) { card.scrollIntoView(); card.classList.add('focus'); }
  }
}

async function load() {
  const answer = await getJson('/admin/mounts');
  if (!answer) return;
  box.replaceChildren(...answer.mounts.map(mountForm));
  $('no-settings').hidden = answer.mounts.length > 0;
  $('mount-paths').replaceChildren(...answer.mounts.map(m => el('option', { value: m.mount })));
}

function field(label, input, hint) {
  return el('label', { class: 'field' }, el('span', { class: 'field-label', text: label }), input,
    hint ? el('span', { class: 'field-hint', text: hint }) : '');
}

function checkbox(name, checked, label) {
  const input = el('input', { type: 'checkbox', name });
  input.checked = checked;
  return el('label', { class: 'check' }, input, el('span', { text: label }));
}

function state(m) {
  if (!m.enabled) return ['disabled', 'Disabled'];
  if (m.live) return ['live', 'On air'];
  return ['idle', 'No source'];
}

function mountForm(m) {
  const [stateClass, stateText] = state(m);
  const form = el('form', { class: 'mount settings-form', 'data-mount': m.mount },
    el('div', { class: 'mount-head' },
      el('span', { class: 'mount-path', text: m.mount }),
      el('span', { class: `badge ${stateClass}`, text: stateText }),
      m.configured ? '' : el('span', { class: 'badge', text: 'not in the file yet' }),
      el('div', { class: 'mount-actions' },
        el('button', { type: 'button', class: m.enabled ? 'danger toggle-enabled' : 'toggle-enabled',
          text: m.enabled ? 'Disable' : 'Enable' }))),
    el('div', { class: 'fields' },
      field('Max listeners', el('input', { type: 'number', name: 'max_listeners', min: '0', step: '1',
        value: String(m.max_listeners) }), '0 = no limit beyond the server’s'),
      field('Burst size (bytes)', el('input', { type: 'number', name: 'burst_size', min: '0', step: '1',
        value: m.burst_size === undefined ? '' : String(m.burst_size), placeholder: 'server default' })),
      field('Fallback mount', el('input', { name: 'fallback', value: m.fallback || '', placeholder: 'none',
        list: 'mount-paths' }), 'listeners go there when the source leaves'),
      field('Source password', el('input', { type: 'password', name: 'password', autocomplete: 'new-password',
        placeholder: m.has_password ? 'unchanged (own password set)' : 'global source password' }))),
    el('div', { class: 'checks' },
      checkbox('fallback_override', m.fallback_override, 'Bring listeners back when the source returns'),
      checkbox('public', m.public, 'Public (listed on the public page)'),
      checkbox('hidden', m.hidden, 'Hidden from status pages'),
      checkbox('low_latency', m.low_latency, 'Low latency (audio out within ~40 ms, ½ s burst; costs more CPU)'),
      m.has_password ? checkbox('clear_password', false, 'Use the global source password again') : ''),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'save', text: 'Save' }),
      el('span', { class: 'saved', role: 'status' })));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const fields = {};
    for (const input of form.querySelectorAll('input')) {
      if (input.type === 'checkbox') fields[input.name] = String(input.checked); // every setting, always
      else fields[input.name] = input.value;
    }
    const saved = await post(`/admin/mounts/edit?mount=${encodeURIComponent(m.mount)}`, fields);
    if (saved.ok) {
      await load();
      const again = box.querySelector(`[data-mount="${CSS.escape(m.mount)}"] .saved`);
      if (again) again.textContent = 'Saved.';
    }
  });
  const toggle = form.querySelector('.toggle-enabled');
  const url = `/admin/mounts/${m.enabled ? 'disable' : 'enable'}?mount=${encodeURIComponent(m.mount)}`;
  if (m.enabled) {
    armed(toggle, 'Disable', 'Click again: takes it off the air', async () => { if ((await post(url)).ok) await load(); });
  } else {
    toggle.addEventListener('click', async () => { if ((await post(url)).ok) await load(); });
  }
  return form;
}

start();
