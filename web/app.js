// The evidock web page: plain JavaScript over the HTTP API (docs/api.md). Every text from the server is
// put into the page with textContent, never as markup, so recorded names and reasons cannot inject HTML.

const $ = (selector) => document.querySelector(selector);
let me = null;
let lastQuery = null;
let nextCursor = null;
let current = null;

function show(id, visible) {
  $(id).hidden = !visible;
}

function say(text, ok = false) {
  const box = $('#message');
  box.textContent = text;
  box.className = ok ? 'ok' : '';
  box.hidden = !text;
}

/** Calls the API with the session cookie; a JSON error is shown as its message and thrown. */
async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) {
    const message = data?.message ?? `${res.status} ${res.statusText}`;
    if (res.status === 401 && url !== '/login') showLogin();
    const error = new Error(res.status === 403 ? `Refused: ${message}` : message);
    error.status = res.status;
    throw error;
  }
  return data;
}

/** Runs an action from a form or button; its error, if any, becomes the page's message. */
function guarded(work) {
  return async (event) => {
    event?.preventDefault();
    try {
      say('');
      await work(event);
    } catch (error) {
      say(error.message);
    }
  };
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function showLogin() {
  me = null;
  show('#login-view', true);
  show('#app-view', false);
  show('#logout', false);
  $('#who').textContent = '';
}

async function start() {
  try {
    me = await api('GET', '/api/me');
  } catch {
    return showLogin();
  }
  $('#who').textContent = `${me.name} (${me.id}, ${me.role})`;
  show('#login-view', false);
  show('#app-view', true);
  show('#logout', true);
  const canDecide = me.actions.includes('copies:decide');
  show('#copies-view', canDecide);
  if (canDecide) await loadCopies();
}

$('#login-form').addEventListener('submit', guarded(async (event) => {
  const form = new FormData(event.target);
  await api('POST', '/login', { badge: form.get('badge'), password: form.get('password') });
  event.target.reset();
  await start();
}));

$('#logout').addEventListener('click', guarded(async () => {
  await api('POST', '/logout');
  showLogin();
}));

function searchParams(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (!value) continue;
    params.set(key, key === 'since' || key === 'until' ? new Date(value).toISOString() : value);
  }
  return params;
}

async function runSearch(params, append) {
  if (!append) {
    lastQuery = params;
    nextCursor = null;
    $('#results tbody').replaceChildren();
  }
  const query = new URLSearchParams(lastQuery);
  if (append && nextCursor) query.set('cursor', nextCursor);
  const page = await api('GET', `/api/items?${query}`);
  for (const item of page.items) $('#results tbody').append(resultRow(item));
  nextCursor = page.nextCursor;
  show('#more', Boolean(nextCursor));
  if (!append && page.items.length === 0) say('No recordings match.', true);
}

function resultRow(item) {
  const row = el('tr', undefined, { 'data-id': item.id });
  const thumb = el('img', undefined, { src: item.links.thumbnail, alt: '', loading: 'lazy' });
  thumb.addEventListener('error', () => (thumb.style.visibility = 'hidden'));
  const cells = [
    new Date(item.capturedAt).toLocaleString(), item.deviceSerial, item.officerId ?? '–', item.caseId ?? 'untagged',
    [item.category, item.phase].filter(Boolean).join(' / ') || '–', item.kind, item.confidentiality,
  ];
  const first = el('td');
  first.append(thumb);
  row.append(first, ...cells.map((c) => el('td', c)));
  row.addEventListener('click', guarded(() => openItem(item.id)));
  return row;
}

$('#search-form').addEventListener('submit', guarded((event) => runSearch(searchParams(event.target), false)));
$('#untagged').addEventListener('click', guarded(() => runSearch(new URLSearchParams({ untagged: 'true', sort: 'capturedAt' }), false)));
$('#more').addEventListener('click', guarded(() => runSearch(null, true)));

async function openItem(id) {
  const detail = await api('GET', `/api/items/${id}`);
  current = detail;
  show('#item-view', true);
  show('#search-view', false);
  $('#item-id').textContent = id;
  renderFacts(detail);
  renderHistory(detail.tagHistory);
  renderTrail(detail.custodyTrail);
  await loadPlayer(detail);
}

function renderFacts({ item, media }) {
  const facts = {
    Captured: `${new Date(item.capturedAt).toLocaleString()} (${item.capturedAtSource})`,
    Device: `${item.deviceSerial}: ${item.originalPath}`,
    Officer: item.officerId ?? '–',
    Case: item.caseId ?? 'untagged',
    'Category / phase': [item.category, item.phase].filter(Boolean).join(' / ') || '–',
    'Checklist row': item.checklistRow ?? '–',
    Unit: item.unit ?? '–',
    'Tag source': item.tagSource,
    Confidentiality: item.confidentiality,
    'SHA-256': item.sha256,
    Size: `${item.size} bytes`,
    Media: media ? `${media.state}${media.reason ? `: ${media.reason}` : ''}` : 'pending',
  };
  $('#item-facts').replaceChildren(...Object.entries(facts).flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  $('#level-form select').value = item.confidentiality;
}

function renderHistory(history) {
  $('#tag-history').replaceChildren(
    ...history.map((e) => {
      const tags = [e.current.caseId, e.current.category, e.current.phase].filter(Boolean).join(', ') || 'untagged';
      return el('li', `${new Date(e.at).toLocaleString()} — ${e.actor} (${e.source}): ${tags} — ${e.reason}`);
    }),
  );
}

function renderTrail(trail) {
  if (!trail) return $('#trail').replaceChildren(el('li', 'Your role does not read custody trails.'));
  $('#trail').replaceChildren(
    ...trail.map((e) => el('li', `#${e.seq} ${new Date(e.at).toLocaleString()} ${e.type} by ${e.actor}${e.details?.reason ? ` — ${e.details.reason}` : ''}${e.details?.result && e.details.result !== 'ok' ? ` (${e.details.result})` : ''}`)),
  );
}

async function loadPlayer({ item }) {
  const video = $('#player');
  const photo = $('#photo');
  video.hidden = true;
  photo.hidden = true;
  video.removeAttribute('src');
  if (!me.actions.includes('items:play')) return;
  try {
    const links = await api('POST', `/api/items/${item.id}/playback`);
    if (links.role === 'display') {
      photo.src = links.proxy;
      photo.hidden = false;
    } else {
      if (links.poster) video.poster = links.poster;
      video.src = links.proxy;
      video.hidden = false;
    }
  } catch (error) {
    if (error.status !== 409) throw error;
    say(error.message);
  }
}

$('#tag-form').addEventListener('submit', guarded(async (event) => {
  const form = new FormData(event.target);
  const body = { reason: form.get('reason') };
  for (const key of ['caseId', 'category', 'phase', 'officerId']) if (form.get(key)) body[key] = form.get(key);
  await api('PATCH', `/api/items/${current.item.id}/tags`, body);
  event.target.reset();
  say('Tags changed.', true);
  const detail = await api('GET', `/api/items/${current.item.id}`);
  current = detail;
  renderFacts(detail);
  renderHistory(detail.tagHistory);
  renderTrail(detail.custodyTrail);
}));

$('#level-form').addEventListener('submit', guarded(async (event) => {
  const form = new FormData(event.target);
  await api('PUT', `/api/items/${current.item.id}/confidentiality`, { level: form.get('level'), reason: form.get('reason') });
  say('Confidentiality changed.', true);
  await openItem(current.item.id);
}));

$('#download').addEventListener('click', guarded(async () => {
  const reason = window.prompt('Why do you download the original? (recorded in the audit log)');
  if (!reason) throw new Error('A download needs a reason.');
  // The server decides; the page only spares a role that may not download a trip to an error page.
  if (!me.actions.includes('items:download')) throw new Error(`Refused: your role (${me.role}) may not download originals.`);
  window.location.href = `/api/items/${current.item.id}/original?reason=${encodeURIComponent(reason)}`;
}));

$('#close-item').addEventListener('click', () => {
  $('#player').pause();
  show('#item-view', false);
  show('#search-view', true);
});

async function loadCopies() {
  const pending = await api('GET', '/api/copy-requests?status=pending');
  $('#copies').replaceChildren(
    ...pending.map((r) => {
      const li = el('li', `${r.party}: ${r.itemIds.length} recording(s) — ${r.reason} (asked by ${r.createdBy}, ${new Date(r.createdAt).toLocaleString()}) `);
      for (const [label, path] of [['Approve', 'approve'], ['Refuse', 'refuse']]) {
        const button = el('button', label);
        button.addEventListener('click', guarded(async () => {
          const reason = window.prompt(`${label}: your reason`);
          if (!reason) throw new Error('A decision needs a reason.');
          await api('POST', `/api/copy-requests/${r.id}/${path}`, { reason });
          say(`Request ${label === 'Approve' ? 'approved' : 'refused'}.`, true);
          await loadCopies();
        }));
        li.append(button);
      }
      return li;
    }),
  );
  if (pending.length === 0) $('#copies').replaceChildren(el('li', 'No pending requests.'));
}

start();
