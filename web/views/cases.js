// Cases and case files (案卷): the list of closed cases with their 30-day deadline, and one case against
// the checklist (incomplete when a mandatory recording is missing), closed, filed and archived by who may.
import { t, time, word, zonedInstant } from '../i18n.js';
import { api, can, codeLabel, el, field, guarded, input, loading, person, say } from '../lib.js';

const DAY_MS = 86_400_000;

function deadline(file) {
  if (file.status !== 'due' && file.status !== 'overdue') return '';
  const days = Math.ceil((Date.parse(file.dueAt) - Date.now()) / DAY_MS);
  return days >= 0 ? t('cases.daysLeft', { n: days }) : t('cases.daysOver', { n: -days });
}

function fileRow(file) {
  return el('li', undefined, { class: `card file-${file.status}` },
    el('a', file.caseId, { href: `#/cases/${encodeURIComponent(file.caseId)}` }),
    el('p', `${t('cases.status')}: ${t(`cases.fileStatus.${file.status}`)} ${deadline(file)}`, { class: `status-${file.status}` }),
    el('p', `${t('cases.ended')}: ${time(file.caseEndedAt)} · ${t('cases.due')}: ${time(file.dueAt)}`),
    ...(file.filedAt ? [el('p', `${person(file.filedBy)} · ${time(file.filedAt)} · ${t('cases.recordingsN', { n: file.itemCount })}`)] : []),
  );
}

function openForm() {
  const form = el('form', undefined, { class: 'grid', id: 'case-open' },
    field(t('cases.caseId'), input('caseId', { required: true, autocomplete: 'off' })),
    el('div', undefined, { class: 'actions' }, el('button', t('cases.open'), { type: 'submit' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = `#/cases/${encodeURIComponent(new FormData(form).get('caseId'))}`;
  });
  return form;
}

export async function renderCaseFiles(main) {
  main.replaceChildren(el('h1', t('cases.title'), { tabindex: '-1' }), openForm(), el('h2', t('cases.files')));
  if (!can('case-files:read')) return;
  const body = el('div');
  main.append(body);
  const files = await loading(body, () => api('GET', '/api/case-files'));
  body.replaceChildren(files.length ? el('ul', undefined, { class: 'cards', id: 'case-files' }, ...files.map(fileRow)) : el('p', t('cases.emptyFiles'), { class: 'empty' }));
}

function reportRows(report) {
  return el('ul', undefined, { class: 'cards' }, ...report.rows.map((r) =>
    el('li', undefined, { class: `card row-${r.status}` },
      el('strong', `${codeLabel('category', r.category)} / ${codeLabel('phase', r.phase)}${r.mandatory ? ` (${t('cases.mandatory')})` : ''}`),
      el('p', `${t(`cases.rowStatus.${r.status}`)} · ${codeLabel('unit', r.unit)} · ${word('retention', r.retentionClass)}`),
      ...(r.recordings.length ? [el('ul', undefined, {}, ...r.recordings.map((rec) => el('li', undefined, {}, el('a', `${word('kinds', rec.kind)} ${time(rec.capturedAt)} · ${person(rec.officerId)}`, { href: `#/item/${rec.id}` }))))] : []),
    )));
}

function act(label, work) {
  const button = el('button', label, { type: 'button' });
  button.addEventListener('click', guarded(async () => {
    await work();
    say(t('cases.done'), true);
  }));
  return button;
}

function closeForm(caseId, reload) {
  const form = el('form', undefined, { class: 'grid', id: 'close-form' },
    field(t('cases.endedAt'), input('endedAt', { type: 'datetime-local', required: true })),
    field(t('reason'), input('reason', { minlength: 3 })),
    el('div', undefined, { class: 'actions' }, el('button', t('cases.closeSubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const data = new FormData(form);
    await api('POST', `/api/cases/${encodeURIComponent(caseId)}/close`, { endedAt: zonedInstant(data.get('endedAt')).toISOString(), ...(data.get('reason') ? { reason: data.get('reason') } : {}) });
    await reload();
    say(t('cases.done'), true);
  }));
  return form;
}

export async function renderCase(main, caseId) {
  const reload = () => renderCase(main, caseId);
  const data = await loading(main, () => api('GET', `/api/cases/${encodeURIComponent(caseId)}`));
  const { report, caseFile } = data;
  const missing = report.missing.length;
  main.replaceChildren(
    el('a', t('cases.title'), { href: '#/cases', class: 'back' }),
    el('h1', `${t('cases.caseId')} ${caseId}`, { tabindex: '-1' }),
    el('p', missing ? t('cases.incomplete', { n: missing }) : t('cases.complete'), { class: missing ? 'state incomplete' : 'state ready', id: 'case-state' }),
    ...(caseFile ? [el('ul', undefined, { class: 'cards' }, fileRow(caseFile))] : []),
    ...(can('cases:close') ? [el('h2', t('cases.close')), closeForm(caseId, reload)] : []),
    ...(caseFile && !caseFile.id && can('case-files:create') ? [act(t('cases.file'), async () => {
      await api('POST', `/api/cases/${encodeURIComponent(caseId)}/case-file`);
      await reload();
    })] : []),
    ...(caseFile?.id && !caseFile.archivedAt && can('case-files:archive') ? [act(t('cases.archive'), async () => {
      await api('POST', `/api/case-files/${caseFile.id}/archive`, {});
      await reload();
    })] : []),
    el('h2', t('cases.report')),
    reportRows(report),
  );
}
