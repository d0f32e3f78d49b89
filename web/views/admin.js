// The admin's work (people and devices, alerts, the queue dashboard), and the auditor's (a person's trail,
// the audit log of a date range as CSV). Alerts are read by supervisors, the head and auditors too.
import { t, time, word, zonedInstant } from '../i18n.js';
import { api, can, codeLabel, el, field, guarded, input, loading, person, say, select, session } from '../lib.js';
import { trailEntryText } from './item.js';

const ALERT_ROLES = ['admin', 'supervisor', 'head', 'auditor'];

export function readsAlerts() {
  return ALERT_ROLES.includes(session.me.role);
}

function personForm(reload) {
  const roles = ['officer', 'auxiliary', 'archivist', 'supervisor', 'head', 'admin', 'auditor'].map((r) => [r, word('roles', r)]);
  const form = el('form', undefined, { class: 'grid', id: 'person-form' },
    field(t('badge'), input('badge', { required: true, pattern: '[A-Za-z0-9.\\-]{1,64}', autocomplete: 'off' })),
    field(t('admin.name'), input('name', { required: true })),
    field(t('admin.unit'), input('unit')),
    field(t('admin.role'), select('role', roles)),
    field(t('reason'), input('reason', { minlength: 3 })),
    el('div', undefined, { class: 'actions' }, el('button', t('admin.savePerson'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const d = new FormData(form);
    await api('PUT', `/api/people/${encodeURIComponent(d.get('badge'))}`, { name: d.get('name'), role: d.get('role'), unit: d.get('unit') || null, ...(d.get('reason') ? { reason: d.get('reason') } : {}) });
    await reload();
    say(t('admin.personSaved'), true);
  }));
  return form;
}

function alertList(alerts) {
  if (!alerts.active.length) return el('p', t('admin.noAlerts'), { class: 'empty' });
  return el('ul', undefined, { class: 'cards', id: 'alerts' }, ...alerts.active.map((a) =>
    el('li', undefined, { class: `card severity-${a.severity}` }, el('strong', `${t(`admin.severity.${a.severity}`)} · ${a.subject}`), el('p', a.message), el('p', time(a.raisedAt), { class: 'hint' }))));
}

export async function renderAlerts(main) {
  main.replaceChildren(el('h1', t('admin.alerts'), { tabindex: '-1' }));
  const body = el('div');
  main.append(body);
  body.replaceChildren(alertList(await loading(body, () => api('GET', '/admin/alerts'))));
}

export async function renderAdmin(main) {
  const reload = async () => {
    session.people = new Map((await api('GET', '/api/people')).map((p) => [p.id, p]));
    await renderAdmin(main);
  };
  const body = el('div');
  main.replaceChildren(el('h1', t('nav.admin'), { tabindex: '-1' }), body);
  const [people, devices] = await loading(body, () => Promise.all([api('GET', '/api/people'), api('GET', '/api/devices')]));
  body.replaceChildren(
    ...(can('admin:queues') ? [el('p', undefined, {}, el('a', t('admin.queues'), { href: '/admin/queues' }))] : []),
    el('h2', t('admin.people')),
    el('ul', undefined, { class: 'cards', id: 'people' }, ...people.map((p) => el('li', `${p.name} (${p.id}) · ${word('roles', p.role)} · ${codeLabel('unit', p.unit)}`, { class: 'card' }))),
    ...(can('people:write') ? [personForm(reload)] : []),
    el('h2', t('admin.devices')),
    devices.length
      ? el('ul', undefined, { class: 'cards', id: 'devices' }, ...devices.map((d) =>
        el('li', `${d.serial} · ${d.model ?? t('none')} · ${t('admin.assigned')}: ${person(d.officerId)} · ${t('admin.lastSeen')}: ${time(d.lastSeenAt)}`, { class: 'card' })))
      : el('p', t('audit.empty'), { class: 'empty' }),
  );
}

function personTrailForm(out) {
  const people = [...session.people.values()].map((p) => [p.id, `${p.name} (${p.id})`]);
  const form = el('form', undefined, { class: 'grid', id: 'person-trail' },
    field(t('audit.person'), select('badge', people)),
    el('div', undefined, { class: 'actions' }, el('button', t('audit.personSubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const badge = new FormData(form).get('badge');
    const trail = await loading(out, () => api('GET', `/api/people/${encodeURIComponent(badge)}/trail`));
    out.replaceChildren(el('h3', person(badge)), trail.length ? el('ol', undefined, { id: 'person-trail-list' }, ...trail.map((e) => el('li', trailEntryText(e)))) : el('p', t('audit.empty'), { class: 'empty' }));
  }));
  return form;
}

function csvForm() {
  const form = el('form', undefined, { class: 'grid', id: 'audit-csv' },
    field(t('audit.from'), input('from', { type: 'date', required: true })),
    field(t('audit.to'), input('to', { type: 'date', required: true })),
    el('div', undefined, { class: 'actions' }, el('button', t('audit.csvSubmit'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(() => {
    const d = new FormData(form);
    // Whole days in the agency's zone: from the first day's midnight to the midnight after the last.
    const since = zonedInstant(`${d.get('from')}T00:00`);
    const until = new Date(zonedInstant(`${d.get('to')}T00:00`).getTime() + 86_400_000);
    window.location.href = `/api/audit/export?since=${since.toISOString()}&until=${until.toISOString()}`;
  }));
  return form;
}

export function renderAudit(main) {
  const out = el('div', undefined, { id: 'trail-out' });
  main.replaceChildren(
    el('h1', t('audit.title'), { tabindex: '-1' }),
    el('p', t('audit.item'), { class: 'hint' }),
    ...(can('trail:read') ? [personTrailForm(out), out] : []),
    ...(can('audit:read') ? [el('h2', t('audit.csv')), csvForm()] : []),
  );
}
