// The history page: a mount's listener chart (day, week or year) drawn as SVG by the code below, and its
// recent songs. Everything is built with textContent and createElementNS: nothing from the server
// becomes markup.
import { el } from './format.js';
import { getJson, startSession } from './session.js';

const $ = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const SONGS_PER_PAGE = 50;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 18, bottom: 30, left: 46 };

let session = null;
let mount = null;
let range = 'day';
let chart = null; // the last answer of /admin/listener-chart, redrawn when the window changes size
let drawn = null; // its points and scales as drawn, for the tip under the mouse
let chartRequest = 0;
let songsRequest = 0;
let oldestSong = null;

async function start() {
  session = await startSession();
  const params = new URLSearchParams(location.search);
  if (['day', 'week', 'year'].includes(params.get('range'))) range = params.get('range');
  for (const button of document.querySelectorAll('.range')) {
    button.addEventListener('click', () => { range = button.dataset.range; remember(); loadChart(); });
  }
  $('mount').addEventListener('change', () => { mount = $('mount').value; remember(); loadAll(); });
  $('more-songs').addEventListener('click', () => loadSongs(false));
  $('chart').addEventListener('mousemove', pointAt);
  $('chart').addEventListener('mouseleave', hideTip);
  let resize = null;
  window.addEventListener('resize', () => { clearTimeout(resize); resize = setTimeout(draw, 100); });

  const mounts = await visibleMounts();
  $('mount').replaceChildren(...mounts.map(m => el('option', { value: m.mount, text: m.label })));
  $('no-mount').hidden = mounts.length > 0;
  if (mounts.length === 0) { $('mount').disabled = true; return; }
  const wanted = params.get('mount');
  mount = mounts.some(m => m.mount === wanted) ? wanted : (mounts.find(m => m.live) || mounts[0]).mount;
  $('mount').value = mount;
  loadAll();
}

/** The mounts the user may see (configured or live, from /admin/mounts) and, for a dj, its assigned ones. */
async function visibleMounts() {
  const answer = await getJson('/admin/mounts');
  const byPath = new Map();
  for (const m of answer ? answer.mounts : []) {
    byPath.set(m.mount, { mount: m.mount, live: m.live, label: m.name ? `${m.mount} · ${m.name}` : m.mount });
  }
  for (const path of session.mounts) {
    if (!byPath.has(path)) byPath.set(path, { mount: path, live: false, label: path });
  }
  return [...byPath.values()].sort((a, b) => a.mount.localeCompare(b.mount));
}

function remember() {
  history.replaceState(null, '', `/admin/history?mount=${encodeURIComponent(mount)}&range=${range}`);
}

function loadAll() {
  loadChart();
  loadSongs(true);
}

// ---- songs ----

async function loadSongs(fresh) {
  const request = ++songsRequest;
  if (fresh) oldestSong = null;
  let url = `/admin/songs?mount=${encodeURIComponent(mount)}&limit=${SONGS_PER_PAGE}`;
  if (oldestSong) url += `&before=${encodeURIComponent(oldestSong)}`;
  const answer = await getJson(url);
  if (!answer || request !== songsRequest) return;
  const rows = answer.songs.map(songRow);
  if (fresh) $('songs').replaceChildren(...rows); else $('songs').append(...rows);
  if (answer.songs.length > 0) oldestSong = answer.songs[answer.songs.length - 1].started;
  const any = $('songs').children.length > 0;
  $('songs-table').hidden = !any;
  $('no-songs').hidden = any;
  $('more-songs').hidden = answer.songs.length < SONGS_PER_PAGE;
}

function songRow(song) {
  const title = song.artist && song.song
    ? el('td', { class: 'song-title' }, el('span', { class: 'artist', text: song.artist }), ' - ',
      el('span', { class: 'song', text: song.song }))
    : el('td', { class: 'song-title', text: song.title });
  return el('tr', { 'data-started': song.started },
    el('td', { class: 'num when', text: when(song.started), title: new Date(song.started).toLocaleString() }),
    title,
    el('td', { class: 'num listeners', text: String(song.listeners) }));
}

/** The time for a song today, the date and time before. */
function when(iso) {
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

// ---- listener chart ----

async function loadChart() {
  for (const button of document.querySelectorAll('.range')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === range));
  }
  const request = ++chartRequest;
  const answer = await getJson(`/admin/listener-chart?mount=${encodeURIComponent(mount)}&range=${range}`);
  if (!answer || request !== chartRequest) return;
  chart = answer;
  draw();
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

/** A round step for about {@code count} intervals up to {@code max}: 1, 2 or 5 times a power of ten. */
function niceStep(max, count) {
  const raw = Math.max(max / count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map(m => m * power).find(step => step >= raw);
}

/** Where the time axis gets a label, in local time: every 3 hours, every midnight, every 1st of a month. */
function timeTicks(from, to) {
  const ticks = [];
  const t = new Date(from);
  if (range === 'day') {
    t.setMinutes(0, 0, 0);
    while (t.getHours() % 3 !== 0 || t < from) t.setHours(t.getHours() + 1);
    for (; t <= to; t.setHours(t.getHours() + 3)) {
      const label = t.getHours() === 0
        ? t.toLocaleDateString([], { weekday: 'short', day: 'numeric' })
        : t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      ticks.push({ time: t.getTime(), label, major: t.getHours() === 0 });
    }
  } else if (range === 'week') {
    t.setHours(0, 0, 0, 0);
    if (t < from) t.setDate(t.getDate() + 1);
    for (; t <= to; t.setDate(t.getDate() + 1)) {
      ticks.push({ time: t.getTime(), label: t.toLocaleDateString([], { weekday: 'short', day: 'numeric' }),
        major: false });
    }
  } else {
    t.setHours(0, 0, 0, 0);
    t.setDate(1);
    if (t < from) t.setMonth(t.getMonth() + 1);
    for (; t <= to; t.setMonth(t.getMonth() + 1)) {
      const label = t.getMonth() === 0 ? String(t.getFullYear()) : t.toLocaleDateString([], { month: 'short' });
      ticks.push({ time: t.getTime(), label, major: t.getMonth() === 0 });
    }
  }
  return ticks;
}

/** The points in runs without a missing step: a line is not drawn across time with no samples. */
function runs(points, stepMs) {
  const all = [];
  let run = [];
  for (const p of points) {
    if (run.length > 0 && p.t - run[run.length - 1].t > stepMs * 1.5) { all.push(run); run = []; }
    run.push(p);
  }
  if (run.length > 0) all.push(run);
  return all;
}

function draw() {
  const box = $('chart-box');
  const chartSvg = $('chart');
  hideTip();
  if (!chart) return;
  const width = Math.max(320, box.clientWidth);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const from = Date.parse(chart.from);
  const to = Date.parse(chart.to);
  const stepMs = chart.step_seconds * 1000;
  // each point stands for its whole step: it is drawn in the middle of it
  const points = chart.points.map(p => ({
    t: Math.min(to, Math.max(from, Date.parse(p.time) + stepMs / 2)),
    start: Date.parse(p.time), listeners: p.listeners, peak: p.peak, minutes: p.minutes,
  }));
  const maxPeak = points.reduce((max, p) => Math.max(max, p.peak), 0);
  const yStep = niceStep(Math.max(maxPeak, 4), 4);
  const yMax = Math.max(yStep, Math.ceil(maxPeak / yStep) * yStep);
  const x = t => MARGIN.left + (t - from) / (to - from) * plotW;
  const y = v => MARGIN.top + plotH - v / yMax * plotH;

  chartSvg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
  chartSvg.setAttribute('width', width);
  chartSvg.setAttribute('height', HEIGHT);
  const parts = [];
  for (let v = 0; v <= yMax; v += yStep) {
    parts.push(svg('line', { class: v === 0 ? 'axis' : 'grid', x1: MARGIN.left, x2: width - MARGIN.right,
      y1: y(v), y2: y(v) }));
    parts.push(svg('text', { class: 'y-label', x: MARGIN.left - 8, y: y(v) + 4 }, String(v)));
  }
  for (const tick of timeTicks(from, to)) {
    parts.push(svg('line', { class: tick.major ? 'grid major' : 'grid', x1: x(tick.time), x2: x(tick.time),
      y1: MARGIN.top, y2: MARGIN.top + plotH }));
    parts.push(svg('text', { class: 'x-label', x: x(tick.time), y: HEIGHT - 10 }, tick.label));
  }
  const base = y(0);
  for (const run of runs(points, stepMs)) {
    if (run.length === 1) {
      parts.push(svg('circle', { class: 'mean-dot', cx: x(run[0].t), cy: y(run[0].listeners), r: 2.5 }));
      continue;
    }
    const line = run.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.listeners).toFixed(1)}`)
      .join('');
    const first = x(run[0].t).toFixed(1);
    const last = x(run[run.length - 1].t).toFixed(1);
    parts.push(svg('path', { class: 'mean-area', d: `${line}L${last},${base}L${first},${base}Z` }));
    parts.push(svg('path', { class: 'peak-line',
      d: run.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.peak).toFixed(1)}`).join('') }));
    parts.push(svg('path', { class: 'mean-line', d: line }));
  }
  parts.push(svg('line', { class: 'guide', id: 'chart-guide', x1: 0, x2: 0, y1: MARGIN.top, y2: base,
    visibility: 'hidden' }));
  parts.push(svg('circle', { class: 'guide-dot', id: 'chart-dot', cx: 0, cy: 0, r: 4, visibility: 'hidden' }));
  chartSvg.replaceChildren(...parts);
  chartSvg.dataset.points = String(points.length);
  chartSvg.dataset.range = chart.range;
  drawn = { points, x, y };

  $('no-samples').hidden = points.length > 0;
  const minutes = points.reduce((sum, p) => sum + p.minutes, 0);
  const mean = minutes ? points.reduce((sum, p) => sum + p.listeners * p.minutes, 0) / minutes : 0;
  $('chart-summary').textContent = points.length
    ? `peak ${maxPeak} · mean ${mean.toFixed(mean < 10 ? 1 : 0)}` : '';
}

function pointAt(event) {
  if (!drawn || drawn.points.length === 0) return;
  const bounds = $('chart').getBoundingClientRect();
  const mouseX = event.clientX - bounds.left;
  let nearest = drawn.points[0];
  for (const p of drawn.points) {
    if (Math.abs(drawn.x(p.t) - mouseX) < Math.abs(drawn.x(nearest.t) - mouseX)) nearest = p;
  }
  const px = drawn.x(nearest.t);
  const guide = $('chart-guide');
  guide.setAttribute('x1', px);
  guide.setAttribute('x2', px);
  guide.setAttribute('visibility', 'visible');
  const dot = $('chart-dot');
  dot.setAttribute('cx', px);
  dot.setAttribute('cy', drawn.y(nearest.listeners));
  dot.setAttribute('visibility', 'visible');
  const tip = $('chart-tip');
  const start = new Date(nearest.start);
  const label = range === 'year'
    ? start.toLocaleDateString([], { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' })
    : start.toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit',
      minute: '2-digit' });
  tip.replaceChildren(el('div', { class: 'tip-time', text: label }),
    el('div', { text: `mean ${nearest.listeners} · peak ${nearest.peak}` }));
  tip.hidden = false;
  // the tip stays inside the chart: left of the guide on the right half
  const right = px > bounds.width / 2;
  tip.style.left = right ? '' : `${px + 10}px`;
  tip.style.right = right ? `${bounds.width - px + 10}px` : '';
}

function hideTip() {
  $('chart-tip').hidden = true;
  for (const id of ['chart-guide', 'chart-dot']) {
    const node = $(id);
    if (node) node.setAttribute('visibility', 'hidden');
  }
}

start();
