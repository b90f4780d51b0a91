// Reports: call records and the queue log searched by time range, queue, agent and caller (REST, CSV links with the
// same filters), and the day in 15-minute intervals charted with uPlot (from its webjar, as an ES module).
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { getJson, signedOut, tenant } from './api.js';
import { connectEvents } from './events.js';
import { duration } from './format.js';
import { showErrors, clearErrors } from './forms.js';

/** Rows shown per table; the CSV has them all. */
const SHOWN = 200;
const form = document.getElementById('search');
const base = `/api/v1/tenants/${encodeURIComponent(tenant)}`;

/** A datetime-local value read as UTC, to an ISO-8601 instant; '' when empty. */
function instant(value) {
  if (!value) {
    return '';
  }
  return `${value.length === 16 ? `${value}:00` : value}Z`;
}

/** An instant as "2026-12-07 09:00:12". */
function utc(iso) {
  return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '';
}

function toLocalInput(date) {
  return date.toISOString().slice(0, 19);
}

function filters() {
  const params = new URLSearchParams();
  const from = instant(form.elements.from.value);
  const to = instant(form.elements.to.value);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  for (const name of ['queue', 'agent', 'caller']) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function seconds(from, to) {
  return from && to ? duration((Date.parse(to) - Date.parse(from)) / 1000) : '–';
}

function renderCdr(records) {
  const rows = records.slice(-SHOWN).reverse().map((record) => {
    const row = document.createElement('tr');
    row.dataset.callId = record.callId;
    cell(row, utc(record.endedAt), 'mono');
    cell(row, record.from, 'caller');
    cell(row, record.to);
    cell(row, record.queue || '–');
    cell(row, record.agent || '–');
    cell(row, record.queue ? seconds(record.startedAt, record.answeredAt ?? record.endedAt) : '–', 'num mono');
    cell(row, seconds(record.answeredAt, record.endedAt), 'num mono');
    const result = cell(row, record.answeredAt ? '☎ Answered' : `✖ ${record.endCause || 'Not answered'}`);
    result.dataset.answered = String(Boolean(record.answeredAt));
    return row;
  });
  document.querySelector('#cdr tbody').replaceChildren(...rows);
  document.getElementById('cdr-count').textContent = records.length > SHOWN
    ? `latest ${SHOWN} of ${records.length} (all in the CSV)` : `${records.length} found`;
}

function renderLog(entries) {
  const rows = entries.slice(-SHOWN).reverse().map((entry) => {
    const row = document.createElement('tr');
    cell(row, utc(entry.time), 'mono');
    cell(row, entry.event, 'event');
    cell(row, entry.queue === 'NONE' ? '–' : entry.queue);
    cell(row, entry.agent === 'NONE' ? '–' : entry.agent);
    cell(row, entry.callId === 'NONE' ? '–' : entry.callId, 'mono call-id');
    cell(row, [entry.data1, entry.data2, entry.data3, entry.data4, entry.data5].filter((d) => d !== '').join(' · '));
    return row;
  });
  document.querySelector('#queuelog tbody').replaceChildren(...rows);
  document.getElementById('log-count').textContent = entries.length > SHOWN
    ? `latest ${SHOWN} of ${entries.length} (all in the CSV)` : `${entries.length} found`;
}

async function fetchAnswer(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (response.status === 401) {
    throw signedOut();
  }
  let body = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    body = await response.json();
  }
  return { ok: response.ok, status: response.status, body };
}

async function search() {
  const params = filters();
  const query = params.toString();
  document.getElementById('cdr-csv').href = `${base}/cdr.csv?${query}`;
  document.getElementById('queuelog-csv').href = `${base}/queuelog.csv?${query}`;
  const [cdr, log] = await Promise.all([fetchAnswer(`${base}/cdr?${query}`),
    fetchAnswer(`${base}/queuelog?${query}`)]);
  const refused = [cdr, log].find((answer) => !answer.ok);
  if (refused) {
    showErrors(form, refused);
    return;
  }
  clearErrors(form);
  renderCdr(cdr.body);
  renderLog(log.body);
  document.body.dataset.searched = String(Number(document.body.dataset.searched ?? 0) + 1);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  search().catch((e) => console.warn('search failed', e));
});

// Charts ---------------------------------------------------------------------------------------------------------

const dayInput = document.getElementById('chart-day');
const chartQueue = document.getElementById('chart-queue');
let charts = [];

function chartWidth(element) {
  return Math.max(320, element.clientWidth);
}

function bars(color, size) {
  return { stroke: color, fill: color, width: 0, points: { show: false },
    paths: uPlot.paths.bars({ size: [size, 28], gap: 2 }) };
}

/**
 * The part of the day worth drawing: the intervals with calls, widened to at least eight hours (business hours when
 * the day has no call yet); the rest of the day is empty bars. Intervals still to come today have no service level.
 */
function busyPart(intervals) {
  const busy = intervals.map((i, index) => (i.offered + i.answered + i.abandoned > 0 ? index : -1))
    .filter((index) => index >= 0);
  let first = busy.length ? Math.max(0, busy[0] - 4) : 28;
  let last = busy.length ? Math.min(95, busy[busy.length - 1] + 4) : 76;
  if (last - first < 32) {
    last = Math.min(95, first + 32);
    first = Math.max(0, last - 32);
  }
  const now = Date.now();
  return intervals.slice(first, last + 1).map((i) => (Date.parse(i.start) > now
    ? { ...i, serviceLevelPercent: null } : i));
}

async function drawCharts() {
  const params = new URLSearchParams({ day: dayInput.value });
  if (chartQueue.value) params.set('queue', chartQueue.value);
  const day = await getJson(`/reports/intervals?${params}`);
  const intervals = busyPart(day);
  const x = intervals.map((i) => Date.parse(i.start) / 1000);
  const volume = document.getElementById('volume-chart');
  const level = document.getElementById('level-chart');
  charts.forEach((chart) => chart.destroy());
  const hours = { values: (u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(11, 16)) };
  const common = { height: 230, legend: { live: false }, cursor: { drag: { x: false, y: false } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') };
  const abandoned = intervals.map((i) => i.abandoned);
  const answered = intervals.map((i) => i.answered);
  charts = [
    new uPlot({
      ...common,
      width: chartWidth(volume),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
      axes: [hours, { size: 44, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }],
      // Offered is the wide pale bar behind; answered (green) and abandoned (red, stacked on it) the narrow one.
      series: [{}, { label: 'Offered', ...bars('#c9dcf7', 0.9) },
        { label: 'Abandoned', ...bars('#d1453b', 0.5) }, { label: 'Answered', ...bars('#2e8b47', 0.5) }],
    }, [x, intervals.map((i) => i.offered), answered.map((a, index) => a + abandoned[index]), answered], volume),
    new uPlot({
      ...common,
      width: chartWidth(level),
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [hours, { size: 52, values: (u, ticks) => ticks.map((t) => `${t} %`) }],
      series: [{}, { label: 'Service level (day so far)', stroke: '#6f42c1', width: 2.5,
        fill: 'rgba(111, 66, 193, 0.08)', spanGaps: false,
        points: { show: true, size: 7, fill: '#6f42c1' } }],
    }, [x, intervals.map((i) => i.serviceLevelPercent)], level),
  ];
  const offered = day.reduce((sum, i) => sum + i.offered, 0);
  const answeredDay = day.reduce((sum, i) => sum + i.answered, 0);
  const abandonedDay = day.reduce((sum, i) => sum + i.abandoned, 0);
  const last = day.map((i) => i.serviceLevelPercent).filter((v) => v != null).pop();
  document.getElementById('chart-summary').textContent = `${dayInput.value}: ${offered} offered, ${answeredDay} `
    + `answered, ${abandonedDay} abandoned; service level ${last == null ? '—' : `${Math.round(last)} %`}.`;
  document.body.dataset.charted = String(Number(document.body.dataset.charted ?? 0) + 1);
}

// Charts follow the page's width (a wall screen, a window made wider).
new ResizeObserver(() => {
  for (const chart of charts) {
    chart.setSize({ width: chartWidth(chart.root.parentElement), height: 230 });
  }
}).observe(document.querySelector('.charts'));

function drawSafely() {
  drawCharts().catch((e) => console.warn('charts failed', e));
}

async function start() {
  const now = new Date();
  dayInput.value = now.toISOString().slice(0, 10);
  form.elements.to.value = toLocalInput(new Date(now.getTime() + 60_000));
  form.elements.from.value = toLocalInput(new Date(now.getTime() - 24 * 3600_000));
  const queues = await getJson('/queues');
  queues.sort((a, b) => a.number.localeCompare(b.number));
  for (const select of [form.elements.queue, chartQueue]) {
    for (const queue of queues) {
      const option = document.createElement('option');
      option.value = queue.number;
      option.textContent = `${queue.number} · ${queue.name}`;
      select.append(option);
    }
  }
  dayInput.addEventListener('change', drawSafely);
  chartQueue.addEventListener('change', drawSafely);
  drawSafely();
  await search();
}

let started = false;
connectEvents({
  onOpen: () => {
    if (!started) {
      started = true;
      start().catch((e) => console.warn('reports failed to start', e));
    }
  },
  onEvent: () => {},
});
