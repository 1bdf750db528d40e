// The player (/player/<mount>) and the embeddable player (/embed/<mount>): one mount's audio, with its
// name, title and listener count live over /events. The page carries the mount in data-mount.
import { mountUrl } from './format.js';

const mount = document.body.dataset.mount;
const byId = id => document.getElementById(id);
const station = byId('station');
const title = byId('title');
const count = byId('count');
const offAir = byId('off-air');
const state = byId('live-state'); // the full page only
const mountPath = byId('mount'); // the full page only
const streamLink = byId('stream-link'); // the full page only

// with preload="none" a page view is not a listener until someone presses play. Apple's browsers (Safari,
// and every browser on iOS) play HLS themselves and get the mount's HLS, which any cache in front can
// serve; /events says whether the mount has one (Ogg mounts do not). Chromium also answers "maybe" to
// canPlayType since version 141, but in the browser test (Chromium 156) it did not start our packed-audio
// playlist within 5 s, so it keeps the Icecast stream, as does every other browser.
const audio = byId('audio');
audio.src = mountUrl(mount);
const playsHls = audio.canPlayType('application/vnd.apple.mpegurl') !== ''
  && (navigator.vendor || '').startsWith('Apple');
let sourceChosen = false;
station.textContent = mount;
if (station.tagName === 'A') station.href = `/player${mountUrl(mount)}`; // the embed links to the full page
if (mountPath) mountPath.textContent = mount;
if (streamLink) streamLink.href = `${mountUrl(mount)}.m3u`;

function render(m) {
  offAir.hidden = Boolean(m);
  document.body.classList.toggle('off-air', !m);
  if (!m) return;
  const name = m.name || m.mount;
  station.textContent = name;
  document.title = `${name} · TinyIce`;
  title.textContent = m.title || '—';
  title.title = m.title || '';
  count.textContent = m.listeners;
  if (!sourceChosen && playsHls && m.hls && audio.paused) {
    audio.src = `${mountUrl(mount)}/index.m3u8`;
  }
  sourceChosen = true;
}

function connected(live) {
  if (!state) return;
  state.textContent = live ? 'live' : 'reconnecting…';
  state.classList.toggle('live', live);
}

const events = new EventSource('/events');
events.addEventListener('mounts', e => {
  connected(true);
  render(JSON.parse(e.data).mounts.find(m => m.mount === mount));
});
events.onerror = () => connected(false);
