// Copy requests (B8): the head sees each pending request with its recordings, their levels and who asked,
// and approves or refuses with a reason; archivists build the export package of an approved one.
import { t, time, word } from '../i18n.js';
import { api, can, el, field, guarded, input, loading, pairLabel, person, say } from '../lib.js';

/**
 * The recordings of a request the viewer may read. One above their clearance is left out without a word,
 * as the API answers for a recording that does not exist (issue 13): the page does not say that it exists.
 */
async function recordingsOf(request) {
  const found = await Promise.all(request.itemIds.map((id) => api('GET', `/api/items/${id}`).then((d) => d.item, (error) => {
    if (error.status === 403 || error.status === 404) return null;
    throw error;
  })));
  return el('ul', undefined, { class: 'recordings' }, ...found.filter(Boolean).map((item) =>
    el('li', undefined, {},
      el('a', `${word('kinds', item.kind)} ${time(item.capturedAt)}`, { href: `#/item/${item.id}` }),
      ` · ${item.caseId ?? t('untagged')} · ${pairLabel(item.category, item.phase)} · `,
      el('span', word('levels', item.confidentiality), { class: `level level-${item.confidentiality}` }),
    )));
}

function decisionForm(request, reload) {
  const form = el('form', undefined, { class: 'grid decide' },
    field(t('copies.decisionReason'), input('reason', { required: true, minlength: 3 })),
    el('div', undefined, { class: 'actions' },
      el('button', t('copies.approve'), { type: 'submit', value: 'approve' }),
      el('button', t('copies.refuse'), { type: 'submit', value: 'refuse' }),
    ),
  );
  form.addEventListener('submit', guarded(async (event) => {
    const path = event.submitter?.value === 'refuse' ? 'refuse' : 'approve';
    await api('POST', `/api/copy-requests/${request.id}/${path}`, { reason: new FormData(form).get('reason') });
    await reload();
    say(t('copies.decided'), true);
  }));
  return form;
}

function packageButton(request) {
  const out = el('p', '', { role: 'status' });
  const button = el('button', t('copies.package'), { type: 'button' });
  button.addEventListener('click', guarded(async () => {
    const built = await api('POST', `/api/copy-requests/${request.id}/package`);
    const hours = Math.round((Date.parse(built.expiresAt) - Date.now()) / 3600_000);
    out.replaceChildren(t('copies.packaged', { hours }), ' ', el('a', built.url, { href: built.url, class: 'mono' }));
  }));
  return [button, out];
}

async function requestCard(request, reload) {
  const card = el('li', undefined, { class: 'card', 'data-id': request.id },
    el('h3', `${request.party} — ${t(`copies.status.${request.status}`)}`),
    el('p', `${t('copies.requester')}: ${person(request.createdBy)} · ${time(request.createdAt)}`),
    el('p', `${t('reason')}: ${request.reason}`),
    el('h4', t('copies.recordings')),
    await recordingsOf(request),
  );
  if (request.status === 'pending' && can('copies:decide')) card.append(decisionForm(request, reload));
  if (request.status === 'approved' && can('copies:export')) card.append(...packageButton(request));
  return card;
}

export async function renderCopies(main) {
  const reload = () => renderCopies(main);
  main.replaceChildren(el('h1', t('copies.title'), { tabindex: '-1' }));
  const body = el('div');
  main.append(body);
  const requests = await loading(body, () => api('GET', '/api/copy-requests'));
  // The head's work first: pending requests; the rest below.
  const pending = requests.filter((r) => r.status === 'pending');
  const others = requests.filter((r) => r.status !== 'pending');
  body.replaceChildren(
    el('h2', t('copies.pending')),
    pending.length ? el('ul', undefined, { id: 'pending-copies', class: 'cards' }, ...(await Promise.all(pending.map((r) => requestCard(r, reload))))) : el('p', t('copies.emptyPending'), { class: 'empty' }),
    el('h2', t('copies.all')),
    others.length ? el('ul', undefined, { class: 'cards' }, ...(await Promise.all(others.map((r) => requestCard(r, reload))))) : el('p', t('copies.empty'), { class: 'empty' }),
  );
}
