// The public page: public mounts, their titles and listener counts, live over /events.
import { el, mountUrl } from './format.js';

const mountsBox = document.getElementById('mounts');
const empty = document.getElementById('no-mounts');
const state = document.getElementById('live-state');

function render(mounts) {
  empty.hidden = mounts.length > 0;
  const cards = new Map([...mountsBox.children].map(card => [card.dataset.mount, card]));
  for (const m of mounts) {
    let card = cards.get(m.mount);
    if (!card) {
      card = el('article', { class: 'public-mount', 'data-mount': m.mount },
        el('div', { class: 'mount-path' }),
        el('div', { class: 'title' }),
        el('div', { class: 'meta' },
          el('span', {}, el('span', { class: 'count' }), ' listening'),
          el('a', { class: 'listen', href: m.mount, text: 'Listen' }),
          el('a', { class: 'player', href: `/player${mountUrl(m.mount)}`, text: 'Player' }),
          el('a', { class: 'hls', href: `${mountUrl(m.mount)}/index.m3u8`, text: 'HLS',
            title: 'HTTP Live Streaming: for Safari, iOS, Android and TVs' })));
      mountsBox.append(card);
    }
    card.querySelector('.hls').hidden = !m.hls;
    cards.delete(m.mount);
    card.querySelector('.mount-path').textContent = m.name ? `${m.name} (${m.mount})` : m.mount;
    card.querySelector('.title').textContent = m.title || '—';
    card.querySelector('.count').textContent = m.listeners;
  }
  for (const gone of cards.values()) gone.remove();
}

const events = new EventSource('/events');
events.addEventListener('mounts', e => {
  state.textContent = 'live';
  state.classList.add('live');
  render(JSON.parse(e.data).mounts);
});
events.onerror = () => {
  state.textContent = 'reconnecting…';
  state.classList.remove('live');
};
