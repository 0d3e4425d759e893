// The NOC page: state from GET /api/incidents, then every change from the event stream /api/events (no polling).
// A reconnecting EventSource sends Last-Event-ID by itself; the server replays what was missed, or sends `reset`
// when it cannot (then the incidents are fetched again). Plain JS, no framework, nothing loaded from elsewhere.

const CHART_MINUTES = 10;
/** the chart and the table show rates averaged over this long: one second of ARP is too spiky to read */
const AVERAGE_SECONDS = 10;
const PALETTE = ['#73bf69', '#5794f2', '#ff9830', '#f2495c', '#b877d9', '#fade2a', '#8ab8ff', '#ff7383', '#96d98d', '#ffb357'];

// The token (web.token), if any, comes in the address's fragment (#token=...), which the browser never sends to a
// server or a proxy's log, and is kept for the tab's session. fetch sends it as a header; EventSource cannot, so
// the stream alone takes it as ?token=.
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  sessionStorage.setItem('arpwarden-token', fromHash);
  history.replaceState(null, '', location.pathname);
}
const token = sessionStorage.getItem('arpwarden-token');

const state = {
  /** id → incident JSON, as /api/incidents gives it */
  incidents: new Map(),
  /** resolved incidents kept at most, as the daemon keeps them (/api/incidents' `history`) */
  history: Infinity,
  /** incident events that came while /api/incidents was being fetched, applied after it */
  pending: null,
  selected: null,
  /** ids changed since the last render: drawn highlighted once */
  fresh: new Set(),
  /** { t: ms, vlans: Map(vlan → per second) }, oldest first */
  points: [],
  vlanColor: new Map(),
  lastStats: null,
};

const $ = (id) => document.getElementById(id);

async function api(path) {
  const r = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r;
}

/** a stream the browser gave up on is opened again after this long, doubling up to the most (ms) */
const REOPEN_MS = 2000;
const REOPEN_MAX_MS = 30_000;
let reopenMs = REOPEN_MS;

function setConn(s) {
  const conn = $('conn');
  conn.dataset.state = s;
  conn.textContent = s;
}

function connect() {
  const es = new EventSource(`/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  es.onopen = () => { reopenMs = REOPEN_MS; setConn('live'); };
  es.onerror = () => {
    // CONNECTING: the stream dropped and the browser retries by itself, with Last-Event-ID
    if (es.readyState !== EventSource.CLOSED) { setConn('reconnecting'); return; }
    // CLOSED: the answer was not a stream, and the browser never retries that: a wrong token (401, final), or a
    // proxy's 502 while the daemon restarts (not final). The token is asked about apart; a new stream gets `reset`.
    es.close();
    void api('/api/stats').then(() => 'reconnecting', (e) => (String(e).endsWith(': 401') ? 'unauthorized' : 'reconnecting')).then((s) => {
      setConn(s);
      if (s === 'unauthorized') return;
      setTimeout(connect, reopenMs);
      reopenMs = Math.min(reopenMs * 2, REOPEN_MAX_MS);
    });
  };
  es.addEventListener('reset', () => { void refetch(); });
  es.addEventListener('incident', (e) => {
    const change = JSON.parse(e.data);
    if (state.pending !== null) state.pending.push(change);
    else { apply(change); renderIncidents(); }
    // the selected incident's evidence has moved on: its latest lines again
    if (change.incident.id === state.selected) loadEvidence(state.selected);
  });
  es.addEventListener('stats', (e) => onStats(JSON.parse(e.data)));
}

/** The whole list again (a fresh page, or one away longer than the server's history). */
async function refetch() {
  state.pending = [];
  try {
    const { incidents, history } = await (await api('/api/incidents')).json();
    state.incidents = new Map(incidents.map((i) => [i.id, i]));
    state.history = history ?? Infinity;
  } catch (e) {
    console.error(e);
  }
  // each event carries the whole incident: applying one the list already reflects changes nothing
  const pending = state.pending;
  state.pending = null;
  for (const c of pending) apply(c);
  renderIncidents();
}

function apply({ change, incident }) {
  // a folded incident is part of another one now: the NOC sees that one
  if (change === 'folded') forget(incident.id);
  else state.incidents.set(incident.id, incident);
  state.fresh.add(incident.id);
  if (change === 'resolved') forgetOldResolved();
}

function forget(id) {
  state.incidents.delete(id);
  evidence.delete(id);
  if (state.selected === id) state.selected = null;
}

/** The daemon keeps the newest `history` resolved incidents (a page open for weeks would otherwise keep them all). */
function forgetOldResolved() {
  const resolved = [...state.incidents.values()].filter((i) => i.resolved_at !== null);
  if (resolved.length <= state.history) return;
  resolved.sort((a, b) => a.resolved_at.localeCompare(b.resolved_at));
  for (const i of resolved.slice(0, resolved.length - state.history)) forget(i.id);
}

// ---------------------------------------------------------------- incidents

const time = (iso) => (iso ? iso.slice(11, 19) : '');
/** an incident the persistence rule opened: few frames, so the row says why it is one */
const persistence = (p) => (p ? ` (persistent: ${p.periods} periods of ${p.period_seconds} s within ${Math.round(p.horizon_seconds / 60)} min)` : '');
const day = (iso) => (iso ? iso.slice(0, 10) : '');

function td(text, cls) {
  const c = document.createElement('td');
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

/** the incidents' column names, from the table's own header: on a phone each cell shows its name (app.css) */
const INCIDENT_COLUMNS = [...$('incidents').tHead.rows[0].cells].map((th) => th.textContent);

function renderIncidents() {
  const all = [...state.incidents.values()];
  // open first, newest first; then the resolved, latest resolved first
  all.sort((a, b) => (a.resolved_at === null) !== (b.resolved_at === null)
    ? (a.resolved_at === null ? -1 : 1)
    : (b.resolved_at ?? b.opened_at).localeCompare(a.resolved_at ?? a.opened_at));
  const body = $('incidents').tBodies[0];
  body.replaceChildren();
  const today = new Date().toISOString().slice(0, 10);
  for (const i of all) {
    const tr = document.createElement('tr');
    tr.className = `incident ${i.resolved_at === null ? 'open' : 'resolved'}${state.selected === i.id ? ' selected' : ''}${state.fresh.has(i.id) ? ' fresh' : ''}`;
    tr.dataset.id = i.id;
    tr.dataset.case = i.case;
    const open = i.resolved_at === null;
    tr.append(
      td(open ? 'open' : `resolved ${time(i.resolved_at)}`, open ? 'state-open' : 'state-resolved'),
      td(i.case),
      td(i.ip ?? (i.flood ? `${i.flood.senders}${i.flood.senders_at_least ? '+' : ''} senders` : '')),
      td(i.customer ?? '–'),
      td(i.server ?? (i.stale_server ? `${i.stale_server} (stale)` : '–')),
      td(i.vlan === null ? 'untagged' : i.outer_vlan == null ? String(i.vlan) : `${i.outer_vlan}.${i.vlan}`),
      td(i.mac),
      td(day(i.opened_at) === today ? time(i.opened_at) : `${day(i.opened_at)} ${time(i.opened_at)}`),
      td(time(i.last_seen)),
      td(Object.entries(i.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') + persistence(i.opened_by_persistence), 'counts'),
    );
    for (const [n, cell] of [...tr.cells].entries()) cell.dataset.label = INCIDENT_COLUMNS[n];
    tr.title = `${i.id}: opened ${i.opened_at}`;
    tr.addEventListener('click', () => select(i.id));
    body.append(tr);
    if (state.selected === i.id) body.append(evidenceRow(i));
  }
  state.fresh.clear();
  $('no-incidents').hidden = all.length > 0;
  const open = all.filter((i) => i.resolved_at === null).length;
  $('incident-count').textContent = `${open} open, ${all.length - open} resolved`;
}

/** evidence shown under a selected row: id → the lines GET /api/incidents/ID gave */
const evidence = new Map();

function select(id) {
  state.selected = state.selected === id ? null : id;
  renderIncidents();
  if (state.selected !== null) loadEvidence(id);
}

function loadEvidence(id) {
  void api(`/api/incidents/${encodeURIComponent(id)}`).then((r) => r.json()).then((full) => {
    evidence.set(id, full);
    renderIncidents();
  }).catch((e) => { evidence.set(id, { error: String(e) }); renderIncidents(); });
}

function evidenceRow(i) {
  const tr = document.createElement('tr');
  tr.className = 'evidence';
  tr.dataset.evidenceFor = i.id;
  const cell = document.createElement('td');
  cell.colSpan = INCIDENT_COLUMNS.length;
  const full = evidence.get(i.id);
  const head = document.createElement('div');
  const link = document.createElement('a');
  link.href = `/api/incidents/${encodeURIComponent(i.id)}/evidence.pcap`;
  link.textContent = `${i.id}.pcap`;
  link.className = 'pcap';
  // a plain link cannot carry the token's header: fetched, then saved from memory
  if (token) link.addEventListener('click', (e) => { e.preventDefault(); void download(link.href, `${i.id}.pcap`); });
  head.append(`${i.id} · evidence frames (the first, then the latest) · `, link);
  cell.append(head);
  const pre = document.createElement('pre');
  pre.className = 'lines';
  if (full === undefined) pre.textContent = 'loading…';
  else if (full.error) pre.textContent = full.error;
  else pre.textContent = [...full.samples, ...(full.last_samples.length > 0 ? ['…', ...full.last_samples] : [])].join('\n');
  cell.append(pre);
  tr.append(cell);
  return tr;
}

async function download(href, name) {
  const blob = await (await api(href)).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// ---------------------------------------------------------------- stats

function onStats(s) {
  const t = Date.parse(s.time);
  const last = state.points.at(-1);
  // a reset resends the history: points already drawn are skipped
  if (last === undefined || t > last.t) {
    state.points.push({ t, vlans: new Map(s.vlans.map((v) => [v.vlan, v.per_second])) });
    const from = t - CHART_MINUTES * 60_000;
    while (state.points.length > 0 && state.points[0].t < from) state.points.shift();
  }
  state.lastStats = s;
  renderStats(s, averages(state.points.length - 1));
  drawChart();
}

const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n));

function colorOf(vlan) {
  let c = state.vlanColor.get(vlan);
  if (c === undefined) {
    c = PALETTE[state.vlanColor.size % PALETTE.length];
    state.vlanColor.set(vlan, c);
  }
  return c;
}

/** per VLAN, the mean rate of the points within AVERAGE_SECONDS up to point `at` */
function averages(at) {
  const out = new Map();
  if (at < 0) return out;
  const end = state.points[at].t;
  let n = 0;
  for (let i = at; i >= 0 && state.points[i].t > end - AVERAGE_SECONDS * 1000; i--, n++) {
    for (const [vlan, v] of state.points[i].vlans) out.set(vlan, (out.get(vlan) ?? 0) + v);
  }
  for (const [vlan, v] of out) out.set(vlan, Math.round((v / n) * 10) / 10);
  return out;
}

function renderStats(s, avg) {
  $('packet-time').textContent = s.packet_time ? s.packet_time.replace('T', ' ').slice(0, 19) : '–';
  $('frames').textContent = fmt(s.capture.frames);
  $('kernel-dropped').textContent = fmt(s.capture.kernel_dropped);
  $('interface-dropped').textContent = fmt(s.capture.interface_dropped);
  $('malformed').textContent = fmt(s.capture.malformed);
  const cases = $('open-by-case');
  cases.replaceChildren(...Object.entries(s.incidents_open).map(([c, n]) => {
    const b = document.createElement('span');
    b.textContent = `${c} ${n}`;
    return b;
  }));
  const vlans = $('vlans').tBodies[0];
  vlans.replaceChildren(...s.vlans.map((v) => {
    const tr = document.createElement('tr');
    const sw = document.createElement('td');
    const mark = document.createElement('span');
    mark.className = 'swatch';
    mark.style.background = colorOf(v.vlan);
    sw.append(mark);
    const ops = v.ops ?? (s.vlans.length === 1 ? s.arp_per_second : null);
    tr.append(sw, td(v.vlan === 'none' ? 'untagged' : v.vlan), td(String(avg.get(v.vlan) ?? v.per_second), 'num'),
      td(ops ? Object.entries(ops).map(([k, n]) => `${k} ${n}`).join(', ') : ''));
    return tr;
  }));
  // the last one to two minutes of packet time: who is loud now, not since the daemon started
  $('talkers-since').textContent = s.top_talkers_since ? `since ${s.top_talkers_since.slice(11, 19)} UTC` : '';
  const talkers = $('talkers').tBodies[0];
  talkers.replaceChildren(...s.top_talkers.map((x) => {
    const tr = document.createElement('tr');
    // 16: TALKER_MACS (src/pipeline/traffic-summary.ts), where the count stops
    tr.append(td(x.ip), td(x.mac), td(x.macs >= 16 ? '16+' : String(x.macs), 'num'), td(fmt(x.frames), 'num'));
    return tr;
  }));
}

function drawChart() {
  const canvas = $('chart');
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 8, t: 8, b: 18 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const end = state.points.at(-1)?.t ?? Date.now();
  const start = end - CHART_MINUTES * 60_000;
  let max = 1;
  const smooth = state.points.map((p, i) => ({ t: p.t, vlans: averages(i) }));
  for (const p of smooth) for (const v of p.vlans.values()) max = Math.max(max, v);
  max = niceCeil(max);
  g.font = '10px ui-monospace, monospace';
  g.fillStyle = '#8e8e8e';
  g.strokeStyle = '#2c3235';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + ph - (ph * i) / 4;
    g.beginPath(); g.moveTo(pad.l, y + 0.5); g.lineTo(pad.l + pw, y + 0.5); g.stroke();
    g.textAlign = 'right';
    g.fillText(fmt(Math.round((max * i) / 4 * 10) / 10), pad.l - 4, y + 3);
  }
  g.textAlign = 'center';
  for (let m = CHART_MINUTES; m >= 0; m -= 2) {
    const x = pad.l + pw * (1 - m / CHART_MINUTES);
    g.fillText(m === 0 ? 'now' : `-${m}m`, x, h - 4);
  }
  const vlans = new Set();
  for (const p of state.points) for (const v of p.vlans.keys()) vlans.add(v);
  g.lineWidth = 1.5;
  for (const vlan of vlans) {
    g.strokeStyle = colorOf(vlan);
    g.beginPath();
    let started = false;
    for (const p of smooth) {
      const v = p.vlans.get(vlan) ?? 0;
      const x = pad.l + (pw * (p.t - start)) / (end - start);
      const y = pad.t + ph - (ph * v) / max;
      if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
    }
    g.stroke();
  }
}

/** 1, 2, 5 × a power of ten, at least n */
function niceCeil(n) {
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

$('chart-minutes').textContent = String(CHART_MINUTES);
$('average-seconds').textContent = String(AVERAGE_SECONDS);
window.addEventListener('resize', drawChart);
drawChart();
connect();
