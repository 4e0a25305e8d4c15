// aigw admin dashboard. Plain JavaScript, no build step, no third-party code.
// Every value from the API is put on the page as text (never as HTML).
'use strict';

const TOKEN_KEY = 'aigw.admin.token';
const state = { token: null, role: null, latest: 0, stream: null, timeline: null };

// ---------- small DOM helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const main = () => document.getElementById('main');
const present = (nodes) => nodes.flat(Infinity).filter(n => n !== null && n !== undefined && n !== false);
function show(...nodes) {
  main().replaceChildren(...present(nodes));
}
function toast(text) {
  const box = document.getElementById('toast');
  const item = h('div', {}, text);
  box.append(item);
  setTimeout(() => item.remove(), 6000);
}
function badge(text, cls) { return h('span', { class: 'badge ' + (cls || text) }, text); }
function objName(e) {
  const ns = e.namespace ? e.namespace + '/' : '';
  return e.kind + ' ' + ns + e.name;
}
// an instant as a datetime-local input shows it: the browser's own time zone, to the minute
function localInput(iso) {
  const d = new Date(iso);
  if (!iso || isNaN(d)) return '';
  const two = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' + two(d.getHours()) + ':' + two(d.getMinutes());
}
function fmtTime(iso) {
  const d = new Date(iso);
  // with its zone: an incident's times come from servers and people in other zones
  return isNaN(d) ? iso : d.toLocaleString(undefined, { hour12: false, timeZoneName: 'short' });
}
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
function errorBox(err) { return h('div', { class: 'error-box', role: 'alert' }, err.message || String(err)); }
function loading(text) { return h('p', { class: 'muted', 'aria-busy': 'true' }, text || 'Loading…'); }
function typeLabel(t) { return { UPSERT: 'upsert', DELETE: 'delete', ERROR: 'error', APPLIED: 'applied', ROTATION: 'rotation' }[t] || t; }

// ---------- API ----------
class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}
async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  opts.headers = Object.assign({ Authorization: 'Bearer ' + state.token }, opts.headers);
  let res;
  try {
    res = await fetch(path, opts);
  } catch (e) {
    throw new ApiError(0, 'The admin server cannot be reached (' + e.message + ').');
  }
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (res.status === 401 && path !== '/api/whoami') { signOut('Your session ended: sign in again.'); }
  if (!res.ok) throw new ApiError(res.status, (body && body.error) || ('HTTP ' + res.status));
  return body;
}
function post(path, payload) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload || {}) });
}

// ---------- session ----------
function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null; state.role = null;
  stopStream();
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  renderLogin(message);
}
function renderLogin(message) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const err = h('div', { id: 'login-error', role: 'alert' });
  if (message) err.append(h('div', { class: 'error-box' }, message));
  const form = h('form', { class: 'panel login', id: 'login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      err.replaceChildren();
      state.token = input.value.trim();
      try {
        const who = await api('/api/whoami');
        sessionStorage.setItem(TOKEN_KEY, state.token);
        await startSession(who.role);
      } catch (e) {
        state.token = null;
        err.replaceChildren(h('div', { class: 'error-box' }, e.status === 401 ? 'That token is not valid.' : e.message));
        input.focus();
      }
    } },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Paste an API token (an admin one, or a read-only one to look without restoring or replaying). aigw run prints generated tokens once at start; aigw controller keeps them in admin-tokens under its --data; fixed ones come from --admin-token-file.'),
    h('label', { for: 'token' }, 'Bearer token', input),
    err,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'signin' }, 'Sign in')));
  show(form);
  input.focus();
}
// history lost to a damaged log is said on every page until the next start, not in one log line
async function showLogRepair() {
  try {
    const ready = await (await fetch('/readyz')).json();
    const banner = document.getElementById('log-repair');
    banner.hidden = !ready.logRepairedAtOpen;
    banner.textContent = ready.logRepairedAtOpen ? 'History was lost: ' + ready.logRepairedAtOpen : '';
  } catch (e) { /* the views report an unreachable server themselves */ }
}
async function startSession(role) {
  state.role = role;
  showLogRepair();
  document.getElementById('nav').hidden = false;
  document.getElementById('session').hidden = false;
  document.getElementById('role').textContent = role;
  startStream();
  if (!location.hash || location.hash === '#' || location.hash.startsWith('#/login')) location.hash = '#/timeline';
  else route();
}
const isAdmin = () => state.role === 'admin';

// ---------- live stream (server-sent events over fetch, so the token stays in a header) ----------
function setLive(on) {
  const el = document.getElementById('live');
  el.textContent = on ? '● live' : '○ offline';
  el.classList.toggle('on', on);
}
function setLatest(seq) {
  if (seq > state.latest) state.latest = seq;
  document.getElementById('latest').textContent = 'seq ' + state.latest;
}
function stopStream() {
  if (state.stream) state.stream.abort();
  state.stream = null;
  setLive(false);
}
async function startStream(from) {
  stopStream();
  const ctl = new AbortController();
  state.stream = ctl;
  let last = from;
  try {
    const res = await fetch('/api/stream' + query({ from: last }), { headers: { Authorization: 'Bearer ' + state.token }, signal: ctl.signal });
    // a log cut back after damage has not got the seq this page saw last: follow it from its end
    if (res.status === 404) { last = undefined; state.latest = 0; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    setLive(true);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
        if (data) {
          const entry = JSON.parse(data);
          last = entry.seq;
          onLiveEntry(entry);
        }
      }
    }
  } catch (e) {
    if (ctl.signal.aborted) return;
  }
  if (state.stream === ctl && state.token) {
    setLive(false);
    // resume after the last entry seen, or, if none came, after the latest the page knew of:
    // without a seq the server would start at its own latest and skip what came meanwhile
    const resume = last !== undefined ? last : (state.latest > 0 ? state.latest : undefined);
    setTimeout(() => { if (state.stream === ctl) startStream(resume); }, 2000);
  }
}
// a browser opens at most six HTTP/1.1 connections to a host, and each tab's stream holds one:
// a hidden tab lets go of its stream, so the seventh tab (and this tab's own page loads) are not
// starved, and catches up from the latest seq it knew of when it is shown again
function resumeStream() {
  if (state.token && !state.stream && !document.hidden) {
    startStream(state.latest > 0 ? state.latest : undefined);
  }
}
document.addEventListener('visibilitychange', () => {
  if (document.hidden) stopStream();
  else resumeStream();
});
window.addEventListener('pagehide', () => stopStream());
window.addEventListener('pageshow', resumeStream);
function onLiveEntry(entry) {
  setLatest(entry.seq);
  if (state.timeline) state.timeline.live(entry);
}

// ---------- router ----------
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q || '') };
}
function route() {
  if (!state.token) { renderLogin(); return; }
  const { parts, params } = parseHash();
  const view = parts[0] || 'timeline';
  state.timeline = null;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const views = { timeline: viewTimeline, entry: viewEntry, state: viewState, compare: viewCompare, provenance: viewProvenance, object: viewObject, replay: viewReplay };
  (views[view] || viewNotFound)(parts.slice(1), params);
  main().focus({ preventScroll: true });
}
function viewNotFound() {
  show(h('div', { class: 'empty' }, h('h1', {}, 'Nothing here'), h('p', {}, 'That page does not exist. '), h('a', { href: '#/timeline' }, 'Go to the timeline')));
}

// ---------- timeline ----------
function viewTimeline(_, params) {
  const filters = { kind: params.get('kind') || '', namespace: params.get('namespace') || '', name: params.get('name') || '' };
  const kind = h('input', { id: 'f-kind', name: 'kind', value: filters.kind, placeholder: 'any', list: 'kinds' });
  const namespace = h('input', { id: 'f-namespace', name: 'namespace', value: filters.namespace, placeholder: 'any' });
  const name = h('input', { id: 'f-name', name: 'name', value: filters.name, placeholder: 'any' });
  // "what happened up to 14:02": the timeline from the last entry recorded by then, older ones below
  const before = params.get('before') || '';
  const upTo = h('input', { type: 'datetime-local', id: 'f-before', name: 'before', value: localInput(before) });
  const kinds = h('datalist', { id: 'kinds' }, ['AIGatewayRoute', 'AIServiceBackend', 'BackendSecurityPolicy', 'GatewayConfig', 'QuotaPolicy', 'Secret', 'Gateway', 'SourceError'].map(k => h('option', { value: k })));
  const form = h('form', { class: 'panel row', id: 'filters', role: 'search',
    onsubmit: (ev) => {
      ev.preventDefault();
      const until = upTo.value ? new Date(upTo.value).toISOString() : '';
      location.hash = '#/timeline' + query({ kind: kind.value.trim(), namespace: namespace.value.trim(), name: name.value.trim(), before: until });
    } },
    h('label', { for: 'f-kind' }, 'Kind', kind), kinds,
    h('label', { for: 'f-namespace' }, 'Namespace', namespace),
    h('label', { for: 'f-name' }, 'Name', name),
    h('label', { for: 'f-before' }, 'Up to (your time)', upTo),
    h('button', { type: 'submit', id: 'apply-filters' }, 'Filter'),
    h('a', { class: 'button secondary', href: '#/timeline' }, 'Clear'));
  const tbody = h('tbody', { id: 'timeline-rows' });
  const table = h('table', { id: 'timeline' },
    h('caption', { class: 'muted' }, 'Newest first. New entries appear at the top while live.'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Seq'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Object'), h('th', { scope: 'col' }, 'Summary'))),
    tbody);
  const status = h('div', { id: 'timeline-status' }, loading('Loading the timeline…'));
  const more = h('button', { type: 'button', class: 'secondary', id: 'load-older', hidden: true }, 'Load older entries');
  show(h('h1', {}, 'Timeline'), form, h('div', { class: 'panel' }, table, status, h('div', { class: 'actions' }, more)));

  let next = null;
  const row = (e, fresh) => h('tr', { class: fresh ? 'fresh' : null, 'data-seq': e.seq },
    h('td', { class: 'seq' }, h('a', { href: '#/entry/' + e.seq, 'aria-label': 'Entry ' + e.seq }, e.seq)),
    h('td', { class: 'time' }, fmtTime(e.time)),
    h('td', {}, badge(typeLabel(e.type), e.type)),
    h('td', { class: 'obj' }, objectLink(e)),
    h('td', {}, e.summary));
  async function load(from) {
    more.disabled = true;
    try {
      const page = await api('/api/log' + query(Object.assign({ order: 'desc', limit: 100, from, before: from ? undefined : before || undefined }, filters)));
      setLatest(page.latestSeq);
      // an entry the live stream added while this page was loading is not listed twice
      for (const e of page.entries) if (!tbody.querySelector('tr[data-seq="' + e.seq + '"]')) tbody.append(row(e, false));
      next = page.next;
      more.hidden = next === null || next === undefined;
      status.replaceChildren();
      if (!tbody.children.length) {
        status.append(h('p', { class: 'empty' }, Object.values(filters).some(Boolean) || before ? 'No entries match these filters.' : 'The log is empty: no change has been recorded yet.'));
      }
    } catch (e) {
      status.replaceChildren(errorBox(e));
    } finally { more.disabled = false; }
  }
  more.addEventListener('click', () => load(next));
  load();
  const matches = (e) => (!filters.kind || e.kind === filters.kind) && (!filters.namespace || e.namespace === filters.namespace) && (!filters.name || e.name === filters.name);
  state.timeline = {
    live(e) {
      if (before || !matches(e) || tbody.querySelector('tr[data-seq="' + e.seq + '"]')) return;
      const first = tbody.firstElementChild;
      if (first && Number(first.dataset.seq) > e.seq) return;
      tbody.prepend(row(e, true));
      status.replaceChildren();
    }
  };
}
function objectLink(e) {
  if (e.type === 'ERROR' || e.type === 'APPLIED') return objName(e);
  return h('a', { href: '#/object/' + [e.kind, e.namespace || '_', e.name].map(encodeURIComponent).join('/') + query({ group: e.group }) }, objName(e));
}

// ---------- entry view ----------
async function viewEntry(parts) {
  const seq = parts[0];
  show(loading('Loading entry ' + seq + '…'));
  let d;
  try { d = await api('/api/log/' + encodeURIComponent(seq)); } catch (e) {
    show(h('h1', {}, 'Entry ' + seq), errorBox(e), h('a', { href: '#/timeline' }, 'Back to the timeline'));
    return;
  }
  const e = d.entry;
  setLatest(e.seq);
  const nodes = [h('h1', {}, 'Entry ', h('span', { class: 'mono' }, e.seq), ' ', badge(typeLabel(e.type), e.type))];
  const meta = h('dl', { class: 'meta' },
    h('dt', {}, 'Summary'), h('dd', {}, e.summary),
    h('dt', {}, 'Recorded'), h('dd', {}, fmtTime(e.time) + '  (' + e.time + ')'),
    h('dt', {}, 'Source'), h('dd', {}, e.source),
    h('dt', {}, 'Object'), h('dd', {}, objectLink(e)));
  if (d.event) {
    meta.append(h('dt', {}, 'apiVersion'), h('dd', {}, d.event.apiVersion),
      h('dt', {}, 'resourceVersion'), h('dd', {}, d.event.resourceVersion),
      h('dt', {}, 'generation'), h('dd', {}, d.event.generation));
  }
  if (d.applied) {
    meta.append(h('dt', {}, 'Outcome'), h('dd', {}, d.applied.outcome + (d.applied.subresource ? ' (' + d.applied.subresource + ')' : '')),
      h('dt', {}, 'Desired state'), h('dd', {}, h('a', { href: '#/state' + query({ at: d.applied.desiredSeq }) }, 'seq ' + d.applied.desiredSeq)));
    if (d.applied.reason) meta.append(h('dt', {}, 'Reason'), h('dd', {}, d.applied.reason));
  }
  if (d.rotation) {
    meta.append(h('dt', {}, 'Rotation'), h('dd', {}, d.rotation.outcome + ' (generation ' + d.rotation.generation + ')'));
    if (d.rotation.reason) meta.append(h('dt', {}, 'Reason'), h('dd', {}, d.rotation.reason));
  }
  if (d.error) meta.append(h('dt', {}, 'Error'), h('dd', {}, (d.error.file || 'source') + (d.error.line ? ':' + d.error.line : '') + ' — ' + d.error.reason));
  const actions = h('div', { class: 'actions' },
    d.previousSeq ? h('a', { class: 'button secondary', href: '#/entry/' + d.previousSeq }, '← Previous version (seq ' + d.previousSeq + ')') : null,
    d.nextSeq ? h('a', { class: 'button secondary', href: '#/entry/' + d.nextSeq }, 'Next version (seq ' + d.nextSeq + ') →') : null,
    h('a', { class: 'button secondary', href: '#/state' + query({ at: e.seq }) }, 'Time travel to seq ' + e.seq),
    e.seq > 1 ? h('a', { class: 'button secondary', href: '#/compare' + query({ from: e.seq - 1, to: e.seq }) }, 'Compare with seq ' + (e.seq - 1)) : null,
    d.object && e.type === 'UPSERT' && e.kind !== 'Secret' ? restoreButton(e, e.seq, 'Restore this version') : null);
  nodes.push(h('div', { class: 'panel' }, meta, actions));
  if (d.changes) {
    nodes.push(h('h2', {}, d.previousSeq ? 'Changes since seq ' + d.previousSeq : (e.type === 'DELETE' ? 'Deleted' : 'New object')));
    nodes.push(fieldTable(d.changes));
    nodes.push(h('h2', {}, 'Side by side'));
    nodes.push(sideBySide(d.previousYaml || '', e.type === 'DELETE' ? '' : (d.yaml || ''), d.previousSeq ? 'seq ' + d.previousSeq : '(none)', e.type === 'DELETE' ? '(deleted)' : 'seq ' + e.seq));
  }
  if (d.effect) nodes.push(h('h2', {}, 'Effect on the gateway'), effectView(d.effect, e.seq));
  show(...nodes);
}
function fieldTable(changes) {
  if (!changes.length) return h('p', { class: 'empty' }, 'No field changed: only the entries that shape this resource did (its provenance).');
  const multiline = (v) => typeof v === 'string' && v.includes('\n');
  const value = (v) => v === undefined ? '' : JSON.stringify(v);
  const rows = [];
  for (const c of changes) {
    if (multiline(c.from) || multiline(c.to)) {
      rows.push(h('tr', {}, h('td', {}, c.path), h('td', {}, badge(c.op)), h('td', { class: 'val', colspan: 2 }, 'multi-line text, compared line by line below')));
      rows.push(h('tr', { class: 'text-diff' }, h('td', { colspan: 4 }, sideBySide(typeof c.from === 'string' ? c.from : '', typeof c.to === 'string' ? c.to : '', 'before', 'after'))));
    } else {
      rows.push(h('tr', {}, h('td', {}, c.path), h('td', {}, badge(c.op)), h('td', { class: 'val' }, value(c.from)), h('td', { class: 'val' }, value(c.to))));
    }
  }
  return h('table', { class: 'fields field-changes', id: 'field-changes' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
    h('tbody', {}, rows));
}
function effectView(effect, seq) {
  const c = effect.counts;
  const box = h('div', { class: 'panel', id: 'effect' });
  if (!c.added && !c.removed && !c.changed && !effect.statuses.length) {
    box.append(h('p', { class: 'muted' }, 'This entry changed no generated resource and no status.'));
    return box;
  }
  // a resource whose object stayed the same but whose provenance now names this entry counts as
  // changed here; aigw run's log line counts changed objects only, hence the note
  box.append(h('p', {}, c.added + ' added, ' + c.removed + ' removed, ' + c.changed + ' changed generated resources (in their object or only in the entries that shape them).'));
  if (effect.resources.length) box.append(h('ul', {}, effect.resources.map(r => h('li', {}, badge(r.change), ' ', provenanceLink(r, r.change === 'removed' ? seq - 1 : seq)))));
  if (effect.statuses.length) box.append(h('h3', {}, 'Status'), h('ul', {}, effect.statuses.map(s => h('li', {}, objName(s), ': ', statusText(s.before), ' → ', statusText(s.after)))));
  return box;
}
function statusText(s) { return s ? (s.accepted ? 'Accepted' : 'NotAccepted: ' + s.message) : '(none)'; }
function provenanceLink(r, at) {
  return h('a', { href: '#/provenance' + query({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, at }) }, objName(r));
}
function restoreButton(e, seq, label) {
  if (!isAdmin()) return null;
  return h('button', { type: 'button', class: 'danger restore',
    onclick: async (ev) => {
      const btn = ev.currentTarget;
      if (!confirm('Write ' + objName(e) + ' back to its source as it was at seq ' + seq + '?')) return;
      btn.disabled = true;
      try {
        const r = await post('/api/restore', { group: e.group, kind: e.kind, namespace: e.namespace, name: e.name, seq });
        const text = r.message + ' (' + r.target + ')';
        btn.after(h('div', { class: 'ok-box', id: 'restore-result', role: 'status' }, text));
        toast(text);
      } catch (err) {
        btn.after(h('div', { class: 'error-box', id: 'restore-result', role: 'alert' }, 'Restore failed: ' + err.message));
      } finally { btn.disabled = false; }
    } }, label);
}

// ---------- side-by-side diff (line LCS, bounded) ----------
function lineDiff(a, b) {
  const x = a ? a.split('\n') : [], y = b ? b.split('\n') : [];
  if (x.length && x[x.length - 1] === '') x.pop();
  if (y.length && y[y.length - 1] === '') y.pop();
  if (x.length * y.length > 4e6) return x.map((l, i) => ({ l, r: y[i], kind: l === y[i] ? 'same' : 'change' })).concat(y.slice(x.length).map(r => ({ r, kind: 'add' })));
  const n = x.length, m = y.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { out.push({ l: x[i], r: y[j], li: i + 1, ri: j + 1, kind: 'same' }); i++; j++; }
    else if (j < m && (i === n || dp[i][j + 1] >= dp[i + 1][j])) { out.push({ r: y[j], ri: j + 1, kind: 'add' }); j++; }
    else { out.push({ l: x[i], li: i + 1, kind: 'del' }); i++; }
  }
  return out;
}
function sideBySide(before, after, leftTitle, rightTitle) {
  const rows = lineDiff(before, after);
  const left = h('div', { class: 'col', 'aria-label': 'Before' }), right = h('div', { class: 'col', 'aria-label': 'After' });
  for (const r of rows) {
    const lk = r.kind === 'del' || r.kind === 'change' ? 'del' : r.kind === 'add' ? 'pad' : '';
    const rk = r.kind === 'add' || r.kind === 'change' ? 'add' : r.kind === 'del' ? 'pad' : '';
    left.append(h('div', { class: 'line ' + lk }, h('span', { class: 'no' }, r.li || ''), h('span', { class: 'tx' }, r.l === undefined ? '' : r.l)));
    right.append(h('div', { class: 'line ' + rk }, h('span', { class: 'no' }, r.ri || ''), h('span', { class: 'tx' }, r.r === undefined ? '' : r.r)));
  }
  return h('div', { class: 'diff', role: 'group', 'aria-label': 'Side-by-side diff' },
    h('div', { class: 'side-title' }, 'Before: ' + leftTitle), h('div', { class: 'side-title' }, 'After: ' + rightTitle), left, right);
}

// ---------- time travel ----------
// The latest seq, asked of the server when nothing has told it yet (a page opened on a bookmark).
async function knownLatest() {
  if (state.latest > 0) return state.latest;
  try {
    setLatest((await api('/api/log' + query({ limit: 1 }))).latestSeq);
  } catch (e) { /* the view reports the server's error itself */ }
  return state.latest;
}
async function viewState(_, params) {
  const latest = params.has('at') ? Math.max(state.latest, 0) : await knownLatest();
  const at = params.has('at') ? params.get('at') : String(latest);
  const ns = params.get('namespace') || '';
  const rejectedOnly = params.get('rejected') === '1';
  const slider = h('input', { type: 'range', id: 'at-range', min: 0, max: Math.max(latest, Number(at) || 0), value: at, 'aria-label': 'Seq' });
  const number = h('input', { type: 'number', id: 'at', min: 0, value: at, inputmode: 'numeric' });
  const nsInput = h('input', { id: 'state-namespace', value: ns, placeholder: 'any' });
  const rejectedBox = h('input', { type: 'checkbox', id: 'state-rejected' });
  rejectedBox.checked = rejectedOnly;
  const go = (v) => { location.hash = '#/state' + query({ at: v, namespace: nsInput.value.trim(), rejected: rejectedBox.checked ? '1' : undefined }); };
  rejectedBox.addEventListener('change', () => go(number.value));
  slider.addEventListener('input', () => { number.value = slider.value; });
  slider.addEventListener('change', () => go(slider.value));
  const form = h('form', { class: 'panel row', id: 'travel', onsubmit: (ev) => { ev.preventDefault(); go(number.value); } },
    h('label', { for: 'at' }, 'At seq', number), slider,
    h('label', { for: 'state-namespace' }, 'Namespace', nsInput),
    h('label', { for: 'state-rejected' }, rejectedBox, 'Only not accepted'),
    h('button', { type: 'submit', id: 'travel-go' }, 'Show'),
    h('button', { type: 'button', class: 'secondary', onclick: () => go(Math.max(0, Number(number.value) - 1)) }, '◀ seq −1'),
    h('button', { type: 'button', class: 'secondary', onclick: () => go(Number(number.value) + 1) }, 'seq +1 ▶'),
    h('button', { type: 'button', class: 'secondary', onclick: () => go(state.latest) }, 'Latest'));
  const body = h('div', { id: 'state-body' }, loading('Folding the log up to seq ' + at + '…'));
  show(h('h1', {}, 'Time travel'), form, body);
  try {
    const accepted = rejectedOnly ? 'false' : undefined;
    const s = await api('/api/state' + query({ at, namespace: ns, limit: 200, objects: 'false', accepted }));
    setLatest(s.latestSeq);
    slider.max = s.latestSeq;
    const desired = await api('/api/state' + query({ at, namespace: ns, section: 'desired', limit: 50 }));
    body.replaceChildren(
      h('p', { class: 'muted' }, 'The gateway as it was after seq ' + s.seq + ' (latest ' + s.latestSeq + ').'),
      h('div', { class: 'counts' },
        count('Source objects', s.world.total), count('Generated resources', s.desired.total),
        count('Filter configs', s.filterConfigs.total), rejectedOnly ? null : count('Statuses', s.statuses.total),
        count('Not accepted', s.notAccepted)),
      h('h2', {}, 'Status'), statusTable(s.statuses, { at, namespace: ns, accepted }),
      h('h2', {}, 'Generated resources'), resourceList(desired.desired, at, ns));
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
}
function count(label, n) { return h('div', { class: 'count' }, h('b', {}, n), label); }
// the statuses a page at a time: a count of how many are shown, and the next page on demand
function statusTable(section, ask) {
  if (!section.items.length) {
    return h('p', { class: 'empty' }, ask.accepted === 'false' ? 'Every AI Gateway object is accepted at this point.' : 'No AI Gateway object exists at this point.');
  }
  const row = s => h('tr', {}, h('td', { class: 'obj' }, objName(s)),
    h('td', {}, s.accepted ? badge('Accepted', 'accepted') : badge('NotAccepted', 'rejected')),
    h('td', {}, s.message));
  const rows = h('tbody', {}, section.items.map(row));
  let shown = section.items.length;
  let next = section.next;
  const note = h('p', { class: 'muted', id: 'statuses-shown' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'statuses-more' }, 'Load more statuses');
  const update = () => { note.textContent = 'Showing ' + shown + ' of ' + section.total + ' statuses.'; more.hidden = !next; };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await api('/api/state' + query({ at: ask.at, namespace: ask.namespace, accepted: ask.accepted, section: 'statuses', limit: 200, after: next }));
      page.statuses.items.forEach(s => rows.append(row(s)));
      shown += page.statuses.items.length;
      next = page.statuses.next;
      update();
    } catch (e) { note.after(errorBox(e)); } finally { more.disabled = false; }
  });
  update();
  return h('div', {}, h('table', { id: 'statuses' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Object'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Message'))),
    rows), note, h('div', { class: 'actions' }, more));
}
function resourceList(section, at, ns) {
  const box = h('div', { id: 'resources' });
  const add = (items) => {
    for (const r of items) {
      box.append(h('details', { class: 'res' },
        h('summary', {}, h('span', { class: 'mono' }, objName(r)), h('span', { class: 'muted' }, r.group || 'core')),
        h('div', { class: 'body' },
          h('p', {}, 'Shaped by the entries at seq ',
            r.provenance.map((p, i) => [i ? ', ' : '', h('a', { href: '#/entry/' + p }, p)]), ' · ',
            h('a', { href: '#/provenance' + query({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, at }) }, 'provenance')),
          h('pre', { class: 'yaml' }, r.yaml))));
    }
  };
  if (!section.items.length) { box.append(h('p', { class: 'empty' }, 'No generated resources at this point.')); return box; }
  add(section.items);
  let next = section.next;
  const more = h('button', { type: 'button', class: 'secondary', hidden: !next }, 'Load more resources');
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await api('/api/state' + query({ at, namespace: ns, section: 'desired', limit: 50, after: next }));
      add(page.desired.items);
      next = page.desired.next;
      more.hidden = !next;
    } catch (e) { box.append(errorBox(e)); } finally { more.disabled = false; }
  });
  return h('div', {}, box, h('div', { class: 'actions' }, more));
}

// ---------- compare ----------
async function viewCompare(_, params) {
  const from = params.get('from') || '', to = params.get('to') || '';
  const a = h('input', { type: 'number', id: 'cmp-from', min: 0, value: from, required: true });
  const b = h('input', { type: 'number', id: 'cmp-to', min: 0, value: to || await knownLatest(), required: true });
  const form = h('form', { class: 'panel row', id: 'compare-form', onsubmit: (ev) => { ev.preventDefault(); location.hash = '#/compare' + query({ from: a.value, to: b.value }); } },
    h('label', { for: 'cmp-from' }, 'From seq', a), h('label', { for: 'cmp-to' }, 'To seq', b),
    h('button', { type: 'submit', id: 'compare-go' }, 'Compare'));
  const body = h('div', { id: 'compare-body' });
  show(h('h1', {}, 'Compare two points'), form, body);
  if (from === '' || to === '') { body.append(h('p', { class: 'empty' }, 'Pick two seqs to see which generated resources were added, removed or changed between them.')); return; }
  body.append(loading('Comparing seq ' + from + ' with seq ' + to + '…'));
  try {
    const d = await api('/api/diff' + query({ from, to, limit: 50, objects: 'true' }));
    const c = d.counts;
    const nodes = [h('div', { class: 'counts' }, count('Added', c.added), count('Removed', c.removed), count('Changed', c.changed), count('Statuses changed', d.statusesTotal))];
    if (!c.added && !c.removed && !c.changed) nodes.push(h('p', { class: 'empty' }, 'The generated resources are the same at both points.'));
    for (const r of d.changes) {
      nodes.push(h('details', { class: 'res change' },
        h('summary', {}, badge(r.change), h('span', { class: 'mono' }, objName(r))),
        h('div', { class: 'body' },
          h('p', {}, provenanceLink(r, r.change === 'removed' ? d.from : d.to), ' — provenance'),
          r.fields ? fieldTable(r.fields) : null,
          sideBySide(r.beforeYaml || '', r.afterYaml || '', 'seq ' + d.from, 'seq ' + d.to))));
    }
    if (d.next) nodes.push(h('p', { class: 'muted' }, 'Showing the first ' + d.changes.length + ' changes.'));
    if (d.statuses.length) nodes.push(h('h2', {}, 'Status changes'), h('ul', { id: 'status-changes' }, d.statuses.map(s => h('li', {}, objName(s), ': ', statusText(s.before), ' → ', statusText(s.after)))));
    if (d.statusesTotal > d.statuses.length) {
      nodes.push(h('p', { class: 'muted' }, 'Showing ' + d.statuses.length + ' of ' + d.statusesTotal + ' changed statuses: those that stopped being accepted first, then those accepted again.'));
    }
    body.replaceChildren(...nodes);
  } catch (e) { body.replaceChildren(errorBox(e)); }
}

// ---------- provenance ----------
async function viewProvenance(_, params) {
  const p = Object.fromEntries(params.entries());
  show(loading('Loading provenance…'));
  try {
    const v = await api('/api/provenance' + query(p));
    show(h('h1', {}, 'Provenance'),
      h('div', { class: 'panel' }, h('p', {}, h('span', { class: 'mono' }, objName(v)), ' at seq ', v.at, ' was shaped by these ', v.entries.length, ' entries:'),
        h('table', { id: 'provenance' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Seq'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Summary'))),
          h('tbody', {}, v.entries.map(e => h('tr', {}, h('td', { class: 'seq' }, h('a', { href: '#/entry/' + e.seq }, e.seq)), h('td', { class: 'time' }, fmtTime(e.time)), h('td', {}, e.summary)))))),
      h('a', { href: '#/state' + query({ at: v.at }) }, 'Back to seq ' + v.at));
  } catch (e) { show(h('h1', {}, 'Provenance'), errorBox(e)); }
}

// ---------- object history ----------
async function viewObject(parts, params) {
  const [kind, namespace, name] = parts;
  show(loading('Loading history…'));
  try {
    const path = '/api/objects/' + [kind, namespace, name].map(encodeURIComponent).join('/') + '/history' + query({ group: params.get('group'), objects: 'false' });
    const v = await api(path);
    const label = kind + ' ' + (namespace === '_' ? '' : namespace + '/') + name;
    show(h('h1', {}, 'History of ', h('span', { class: 'mono' }, label)),
      h('p', { class: 'muted' }, v.total + ' versions in the log.'),
      h('div', { class: 'panel' }, h('table', { id: 'history' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Seq'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Summary'), h('th', { scope: 'col' }, ''))),
        h('tbody', {}, v.versions.map(x => h('tr', {},
          h('td', { class: 'seq' }, h('a', { href: '#/entry/' + x.entry.seq }, x.entry.seq)),
          h('td', { class: 'time' }, fmtTime(x.entry.time)), h('td', {}, badge(typeLabel(x.entry.type), x.entry.type)),
          h('td', {}, x.entry.summary), h('td', {}, x.entry.type === 'UPSERT' && v.kind !== 'Secret' ? restoreButton(v, x.entry.seq, 'Restore') : null)))))));
  } catch (e) { show(h('h1', {}, 'History'), errorBox(e)); }
}

// ---------- replay ----------
function viewReplay() {
  const to = h('input', { type: 'number', id: 'replay-to', min: 0, placeholder: 'latest' });
  const result = h('div', { id: 'replay-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'replay-go', disabled: !isAdmin() }, 'Replay from zero');
  const form = h('form', { class: 'panel row', id: 'replay-form',
    onsubmit: async (ev) => {
      ev.preventDefault();
      button.disabled = true;
      result.replaceChildren(loading('Rebuilding every projection from seq 1 in a shadow instance…'));
      try {
        const r = await post('/api/replay', to.value === '' ? {} : { to: Number(to.value) });
        result.replaceChildren(...present([h('div', { class: r.equal ? 'ok-box' : 'error-box', role: 'status' },
          (r.equal ? 'Equal to the live state' : 'Differs from the live state') + ' at seq ' + r.to + ': replayed ' + r.entriesReplayed + ' entries in ' + r.millis + ' ms (' + r.entriesPerSecond + ' entries/s).'),
          r.differences.length ? h('ul', {}, r.differences.map(x => h('li', {}, x.part + ': ' + objName(x) + ' ' + x.what))) : null]));
      } catch (e) { result.replaceChildren(errorBox(e)); } finally { button.disabled = !isAdmin(); }
    } },
    h('label', { for: 'replay-to' }, 'Up to seq (empty: latest)', to), button);
  show(h('h1', {}, 'Replay'),
    h('p', {}, 'Rebuilds the gateway state from the first entry of the log, apart from the live one, and checks that both agree. This proves the log alone explains the configuration.'),
    isAdmin() ? null : h('div', { class: 'error-box' }, 'Replay needs an admin token; this session is read-only.'),
    form, result);
}

// ---------- start ----------
window.addEventListener('hashchange', route);
document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('signout').addEventListener('click', () => signOut());
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (!saved) { renderLogin(); return; }
  state.token = saved;
  try { const who = await api('/api/whoami'); await startSession(who.role); } catch (e) { signOut(); }
});
