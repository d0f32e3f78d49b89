// One recording: player (or why it cannot play), its facts in words, tags from the checklist's valid pairs,
// confidentiality, a copy request, and its custody trail (the viewer's own reads hidden unless asked for).
import { size, t, time, word } from '../i18n.js';
import { api, can, codeLabel, el, facts, field, guarded, input, loading, pairLabel, pairOptions, person, retentionOf, say, select, session } from '../lib.js';

/** Reads that only show someone looked: the viewer's own are hidden by default. */
const READS = new Set(['items:search', 'items:read', 'items:play', 'trail:read', 'cases:read', 'copies:read', 'case-files:read']);
let showOwnReads = false;

/** The media state in words: pending, unplayable (why), failed, incomplete (what is missing), ready. */
function mediaState(media) {
  if (!media || media.state === 'pending') return { text: t('media.pending'), cls: 'state pending' };
  if (media.state === 'unplayable') return { text: t('media.unplayable'), detail: media.reason, cls: 'state unplayable' };
  if (media.state === 'failed') return { text: t('media.failed', { reason: media.reason ?? '' }), cls: 'state failed' };
  if (media.reason) return { text: t('media.incomplete', { reason: media.reason }), cls: 'state incomplete' };
  return { text: can('items:play') ? t('media.ready') : t('media.noPlay'), cls: 'state ready' };
}

function stateBox(media) {
  const state = mediaState(media);
  const box = el('p', state.text, { class: state.cls, id: 'media-state' });
  if (state.detail) box.append(el('br'), el('small', state.detail));
  return box;
}

async function player(item, media) {
  const area = el('div', undefined, { class: 'player' });
  if (!can('items:play')) return area;
  if (media?.state !== 'ready') return area;
  try {
    const links = await api('POST', `/api/items/${item.id}/playback`);
    if (links.role === 'display') area.append(el('img', undefined, { id: 'photo', src: links.proxy, alt: `${word('kinds', item.kind)} ${item.id}` }));
    else area.append(el('video', undefined, { id: 'player', controls: true, preload: 'metadata', src: links.proxy, poster: links.poster ?? undefined, 'aria-label': `${word('kinds', item.kind)} ${item.id}` }));
  } catch (error) {
    if (error.status !== 409) throw error;
    area.append(el('p', error.message, { class: 'state unplayable' }));
  }
  return area;
}

function itemFacts(item, media) {
  return facts([
    [t('item.captured'), time(item.capturedAt)],
    [t('item.timeSource'), word('source', item.capturedAtSource)],
    [t('item.secured'), time(item.securedAt)],
    [t('item.kind'), word('kinds', item.kind)],
    [t('item.device'), item.deviceSerial],
    [t('item.path'), item.originalPath, 'mono'],
    [t('item.officer'), person(item.officerId)],
    [t('item.case'), item.caseId ?? t('untagged')],
    [t('item.checklist'), pairLabel(item.category, item.phase)],
    [t('item.unit'), codeLabel('unit', item.unit)],
    [t('item.retention'), retentionOf(item.category, item.phase)],
    [t('item.tagSource'), word('tagSourceNames', item.tagSource)],
    [t('item.level'), word('levels', item.confidentiality)],
    [t('item.size'), size(item.size)],
    [t('item.sha256'), item.sha256, 'mono'],
    [t('item.media'), mediaState(media).text],
  ]);
}

function tagForm(item, reload) {
  const keep = ['', t('item.keep')];
  const people = [keep, ...[...session.people.values()].filter((p) => p.role === 'officer').map((p) => [p.id, `${p.name} (${p.id})`])];
  const form = el('form', undefined, { id: 'tag-form', class: 'grid' },
    field(t('item.case'), input('caseId', { autocomplete: 'off', placeholder: item.caseId ?? '' })),
    field(t('item.checklist'), select('pair', pairOptions(keep))),
    field(t('item.officer'), select('officerId', people)),
    field(t('reason'), input('reason', { required: true, minlength: 3 })),
    el('div', undefined, { class: 'actions' }, el('button', t('item.tagSubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const data = new FormData(form);
    const body = { reason: data.get('reason') };
    if (data.get('caseId')) body.caseId = data.get('caseId');
    if (data.get('officerId')) body.officerId = data.get('officerId');
    if (data.get('pair')) [body.category, body.phase] = data.get('pair').split('/');
    await api('PATCH', `/api/items/${item.id}/tags`, body);
    await reload();
    say(t('item.tagsChanged'), true);
  }));
  return form;
}

function levelForm(item, reload) {
  const levels = ['normal', 'restricted', 'confidential'].map((l) => [l, word('levels', l)]);
  const chooser = select('level', levels);
  chooser.value = item.confidentiality;
  const form = el('form', undefined, { id: 'level-form', class: 'grid' },
    field(t('item.levelTitle'), chooser),
    field(t('reason'), input('reason', { required: true, minlength: 3 })),
    el('div', undefined, { class: 'actions' }, el('button', t('item.levelSubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const data = new FormData(form);
    await api('PUT', `/api/items/${item.id}/confidentiality`, { level: data.get('level'), reason: data.get('reason') });
    await reload();
    say(t('item.levelChanged'), true);
  }));
  return form;
}

function copyForm(item) {
  const form = el('form', undefined, { id: 'copy-form', class: 'grid' },
    field(t('item.party'), input('party', { required: true })),
    field(t('reason'), input('reason', { required: true, minlength: 3 })),
    el('div', undefined, { class: 'actions' }, el('button', t('item.copySubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const data = new FormData(form);
    await api('POST', '/api/copy-requests', { party: data.get('party'), reason: data.get('reason'), itemIds: [item.id] });
    form.reset();
    say(t('item.copyCreated'), true);
  }));
  return form;
}

function tagHistory(history) {
  return el('ol', undefined, { id: 'tag-history' }, ...history.map((e) => {
    const c = e.current;
    const tags = [c.caseId, c.category || c.phase ? pairLabel(c.category, c.phase) : null, c.officerId ? person(c.officerId) : null].filter(Boolean).join(' · ') || t('untagged');
    return el('li', `${time(e.at)} — ${person(e.actor)} (${word('tagSourceNames', e.source)}): ${tags} — ${e.reason ?? ''}`);
  }));
}

export function trailEntryText(e) {
  const result = e.details?.result && e.details.result !== 'ok' ? ` (${word('result', e.details.result)})` : '';
  const reason = e.details?.reason ? ` — ${e.details.reason}` : '';
  return `#${e.seq} ${time(e.at)} ${word('trailTypes', e.type)} — ${t('by')} ${person(e.actor)}${result}${reason}`;
}

function trailSection(trail) {
  const own = (e) => e.actor === session.me.id && READS.has(e.type);
  const list = el('ol', undefined, { id: 'trail' });
  const note = el('p', '', { class: 'hint', id: 'own-hidden' });
  const toggle = el('input', undefined, { type: 'checkbox', id: 'show-own' });
  toggle.checked = showOwnReads;
  const render = () => {
    const entries = showOwnReads ? trail : trail.filter((e) => !own(e));
    list.replaceChildren(...entries.map((e) => el('li', trailEntryText(e))));
    const hidden = trail.length - entries.length;
    note.textContent = hidden > 0 ? t('item.ownHidden', { n: hidden }) : '';
  };
  toggle.addEventListener('change', () => {
    showOwnReads = toggle.checked;
    render();
  });
  render();
  return [el('label', undefined, { class: 'check' }, toggle, ` ${t('item.showOwn')}`), note, list];
}

function downloadLink(item) {
  const link = el('a', t('item.download'), { href: `/api/items/${item.id}/original`, id: 'download' });
  link.addEventListener('click', guarded(async () => {
    const reason = window.prompt(t('item.downloadWhy'));
    if (!reason) throw new Error(t('needReason'));
    window.location.href = `/api/items/${item.id}/original?reason=${encodeURIComponent(reason)}`;
  }));
  return el('p', undefined, {}, link);
}

export async function renderItem(main, id) {
  const reload = () => renderItem(main, id);
  const detail = await loading(main, () => api('GET', `/api/items/${id}`));
  const { item, media } = detail;
  const back = el('a', t('back'), { href: '#/search', class: 'back' });
  main.replaceChildren(
    back,
    el('h1', undefined, { tabindex: '-1' }, `${t('item.title')} `, el('span', item.id, { id: 'item-id', class: 'mono' })),
    stateBox(media),
    await player(item, media),
    itemFacts(item, media),
    ...(can('items:download') ? [downloadLink(item)] : []),
    ...(can('items:tag') ? [el('h2', t('item.tags')), tagForm(item, reload)] : []),
    el('h2', t('item.tagHistory')),
    tagHistory(detail.tagHistory),
    ...(can('items:classify') ? [el('h2', t('item.levelTitle')), levelForm(item, reload)] : []),
    ...(can('copies:create') ? [el('h2', t('item.copyTitle')), copyForm(item)] : []),
    ...(detail.custodyTrail ? [el('h2', t('item.trail')), ...trailSection(detail.custodyTrail)] : []),
  );
}
