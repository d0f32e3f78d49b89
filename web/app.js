// The evidock web page: plain ES modules over the HTTP API (docs/api.md), no build step. Each role sees the
// pages of its work (from /api/me's actions); the server still decides every request.
import { setup, switchLocale, t, word } from './i18n.js';
import { $, api, can, el, guarded, say, session } from './lib.js';
import { renderAdmin, renderAlerts, renderAudit, readsAlerts } from './views/admin.js';
import { renderCase, renderCaseFiles } from './views/cases.js';
import { renderCopies } from './views/copies.js';
import { renderItem } from './views/item.js';
import { renderSearch } from './views/search.js';

/** Pages by hash path, with who sees them; the first a role may see is its home. */
const pages = [
  { path: 'search', label: 'nav.search', allowed: () => can('items:search'), render: renderSearch },
  { path: 'copies', label: 'nav.copies', allowed: () => can('copies:read'), render: renderCopies },
  { path: 'cases', label: 'nav.cases', allowed: () => can('case-files:read') || can('cases:close'), render: renderCaseFiles },
  { path: 'admin', label: 'nav.admin', allowed: () => can('people:write'), render: renderAdmin },
  { path: 'alerts', label: 'nav.alerts', allowed: readsAlerts, render: renderAlerts },
  { path: 'audit', label: 'nav.audit', allowed: () => can('audit:read'), render: renderAudit },
];

const main = () => $('#main');

function renderHeader() {
  const header = $('#top');
  // Named in the language it switches to, so a reader of that language finds it.
  const lang = el('button', t('language'), { type: 'button', id: 'locale', title: t('languageName'), lang: t('language') === 'English' ? 'en' : 'zh-CN' });
  lang.addEventListener('click', () => {
    switchLocale();
    renderHeader();
    route();
  });
  const parts = [el('p', t('appName'), { class: 'brand' })];
  if (session.me) {
    const nav = el('nav', undefined, { 'aria-label': t('appName') }, el('ul', undefined, {}, ...pages.filter((p) => p.allowed()).map((p) => el('li', undefined, {}, el('a', t(p.label), { href: `#/${p.path}`, 'data-page': p.path })))));
    const logout = el('button', t('logout'), { type: 'button', id: 'logout' });
    logout.addEventListener('click', guarded(async () => {
      await api('POST', '/logout');
      showLogin();
    }));
    parts.push(nav, el('span', `${session.me.name} (${session.me.id}) · ${word('roles', session.me.role)}`, { id: 'who' }), logout);
  }
  parts.push(lang);
  header.replaceChildren(...parts);
}

function showLogin() {
  session.me = null;
  renderHeader();
  const form = el('form', undefined, { id: 'login-form', class: 'grid narrow' },
    el('div', undefined, { class: 'field' }, el('label', t('badge'), { for: 'badge' }), el('input', undefined, { id: 'badge', name: 'badge', autocomplete: 'username', required: true })),
    el('div', undefined, { class: 'field' }, el('label', t('password'), { for: 'password' }), el('input', undefined, { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    el('div', undefined, { class: 'actions' }, el('button', t('login'), { type: 'submit' })),
  );
  form.addEventListener('submit', guarded(async () => {
    const data = new FormData(form);
    await api('POST', '/login', { badge: data.get('badge'), password: data.get('password') });
    await start();
  }));
  main().replaceChildren(el('h1', t('login')), form);
}

/** Renders the page the hash names (or the role's home), marking it current in the menu. */
async function route() {
  if (!session.me) return showLogin();
  const [hashPath, query] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [path, arg] = hashPath.split('/');
  say('');
  for (const link of document.querySelectorAll('nav a')) link.removeAttribute('aria-current');
  try {
    if (path === 'item' && arg && can('items:read')) return await renderItem(main(), arg);
    if (path === 'cases' && arg && can('cases:read')) return await renderCase(main(), decodeURIComponent(arg));
    const page = pages.find((p) => p.path === path && p.allowed()) ?? pages.find((p) => p.allowed());
    if (!page) return main().replaceChildren(el('h1', t('appName')));
    document.querySelector(`nav a[data-page="${page.path}"]`)?.setAttribute('aria-current', 'page');
    await page.render(main(), query);
  } catch (error) {
    // Nothing half-loaded stays on the screen; the message says what went wrong.
    main().replaceChildren();
    say(error.message);
  }
}

async function start() {
  try {
    session.me = await api('GET', '/api/me');
  } catch {
    return showLogin();
  }
  const [people, checklist] = await Promise.all([api('GET', '/api/people'), api('GET', '/api/checklist')]);
  session.people = new Map(people.map((p) => [p.id, p]));
  session.checklist = checklist.rows;
  renderHeader();
  await route();
}

window.addEventListener('hashchange', route);
window.addEventListener('logged-out', showLogin);
setup(await fetch('/ui/settings').then((r) => r.json()));
await start();
