// Search: the form (category/phase from the checklist's valid pairs, people by name), results as links
// (reachable by Tab, opened with Enter), a page at a time.
import { t, time, word, zonedInstant, zoneName } from '../i18n.js';
import { $, api, can, el, field, guarded, input, loading, pairLabel, pairOptions, person, select, session, unitOptions } from '../lib.js';

let lastQuery = null;
let nextCursor = null;
/** The last results, kept so "back to results" shows them again without a new search. */
let shown = [];

function searchForm() {
  const people = [['', t('search.any')], ...[...session.people.values()].map((p) => [p.id, `${p.name} (${p.id})`])];
  const form = el('form', undefined, { id: 'search-form', class: 'grid' },
    field(t('search.case'), input('case', { autocomplete: 'off' })),
    field(t('search.officer'), select('officer', people)),
    field(t('search.device'), input('device', { autocomplete: 'off' })),
    field(t('search.checklist'), select('pair', pairOptions(['', t('search.any')]))),
    field(t('search.unit'), select('unit', unitOptions(['', t('search.any')]))),
    field(t('search.since'), input('since', { type: 'datetime-local' })),
    field(t('search.until'), input('until', { type: 'datetime-local' })),
    field(t('search.sha256'), input('sha256', { autocomplete: 'off', pattern: '[0-9a-fA-F]{64}' })),
    el('div', undefined, { class: 'field check' }, el('label', undefined, {}, input('untagged', { type: 'checkbox', value: 'true' }), ` ${t('search.untaggedOnly')}`)),
    el('div', undefined, { class: 'actions' }, el('button', t('search.submit'), { type: 'submit' }), el('button', t('search.untaggedList'), { type: 'button', id: 'untagged' })),
  );
  form.addEventListener('submit', guarded(() => runSearch(searchParams(form), false)));
  $('#untagged', form).addEventListener('click', guarded(() => runSearch(new URLSearchParams({ untagged: 'true', sort: 'capturedAt' }), false)));
  return form;
}

function searchParams(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (!value) continue;
    if (key === 'pair') {
      const [category, phase] = value.split('/');
      params.set('category', category);
      params.set('phase', phase);
    } else if (key === 'since' || key === 'until') {
      params.set(key, zonedInstant(value).toISOString());
    } else {
      params.set(key, value);
    }
  }
  return params;
}

function resultLink(item) {
  const thumb = can('items:play')
    ? el('img', undefined, { src: item.links.thumbnail, alt: '', loading: 'lazy', width: 96, height: 54 })
    : el('span', undefined, { class: 'thumb' });
  if (thumb.tagName === 'IMG') thumb.addEventListener('error', () => thumb.replaceWith(el('span', word('kinds', item.kind), { class: 'thumb' })));
  return el('li', undefined, { 'data-id': item.id },
    el('a', undefined, { href: `#/item/${item.id}`, class: 'result' },
      thumb,
      el('span', undefined, { class: 'summary' },
        el('strong', time(item.capturedAt)),
        el('span', `${word('kinds', item.kind)} · ${item.deviceSerial} · ${person(item.officerId)}`),
        el('span', `${item.caseId ?? t('untagged')} · ${pairLabel(item.category, item.phase)}`),
        el('span', word('levels', item.confidentiality), { class: `level level-${item.confidentiality}` }),
      ),
    ),
  );
}

async function runSearch(params, append) {
  const list = $('#results');
  if (!append) {
    lastQuery = params;
    nextCursor = null;
    shown = [];
  }
  const query = new URLSearchParams(lastQuery);
  if (append && nextCursor) query.set('cursor', nextCursor);
  const page = append ? await api('GET', `/api/items?${query}`) : await loading(list, () => api('GET', `/api/items?${query}`));
  if (!append) list.replaceChildren();
  shown.push(...page.items);
  list.append(...page.items.map(resultLink));
  nextCursor = page.nextCursor;
  $('#more').hidden = !nextCursor;
  renderCount();
}

function renderCount() {
  const empty = shown.length === 0 && lastQuery !== null;
  $('#result-count').textContent = empty ? t('search.empty') : lastQuery ? t('search.count', { n: shown.length }) : '';
}

/** `#/search?device=…`: a search that can be bookmarked or linked runs as the page opens. */
export async function renderSearch(main, query) {
  const more = el('button', t('search.more'), { id: 'more', type: 'button', hidden: true });
  more.addEventListener('click', guarded(() => runSearch(null, true)));
  main.replaceChildren(
    el('h1', t('search.title')),
    el('p', t('search.timesIn', { zone: zoneName() }), { class: 'hint' }),
    searchForm(),
    el('p', '', { id: 'result-count', role: 'status' }),
    el('ul', undefined, { id: 'results', class: 'results' }, ...shown.map(resultLink)),
    more,
  );
  more.hidden = !nextCursor;
  renderCount();
  if (query) await runSearch(new URLSearchParams(query), false);
}
