// What every view of the page uses: the API call, making elements, the message line, names of people and
// checklist codes. Every text from the server goes in with textContent, never as markup, so recorded names
// and reasons cannot inject HTML.
import { getLocale, t, word } from './i18n.js';

export const $ = (selector, root = document) => root.querySelector(selector);

export const session = { me: null, people: new Map(), checklist: [] };

export function can(action) {
  return session.me?.actions.includes(action) ?? false;
}

/** Calls the API with the session cookie; a JSON error is thrown with its message (and shown by `guarded`). */
export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) {
    const message = data?.message ?? `${res.status} ${res.statusText}`;
    const error = new Error(res.status === 403 ? `${t('refused')}${message}` : message);
    error.status = res.status;
    if (res.status === 401 && url !== '/login') window.dispatchEvent(new CustomEvent('logged-out'));
    throw error;
  }
  return data;
}

export function el(tag, text, attrs = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  node.append(...children);
  return node;
}

export function say(text, ok = false) {
  const box = $('#message');
  box.textContent = text;
  box.className = ok ? 'ok' : 'error';
  box.hidden = !text;
}

/** Runs an action from a form or button; its error, if any, becomes the page's message. */
export function guarded(work) {
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

/** Shows "loading" in `container` (marked busy for screen readers) while `work` runs. */
export async function loading(container, work) {
  container.setAttribute('aria-busy', 'true');
  container.replaceChildren(el('p', t('loading'), { class: 'loading', role: 'status' }));
  try {
    return await work();
  } finally {
    container.removeAttribute('aria-busy');
  }
}

/** A labelled form field; `input` is the control (its name set by the caller). */
export function field(label, input) {
  const id = `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return el('div', undefined, { class: 'field' }, el('label', label, { for: id }), input);
}

export function input(name, attrs = {}) {
  return el('input', undefined, { name, ...attrs });
}

export function select(name, options, attrs = {}) {
  const node = el('select', undefined, { name, ...attrs });
  for (const [value, label] of options) node.append(el('option', label, { value }));
  return node;
}

/** A person as "张伟 (P-2001)", or the badge alone when the register does not know it. */
export function person(badge) {
  if (!badge) return t('none');
  const known = session.people.get(badge);
  return known ? `${known.name} (${badge})` : badge;
}

function row(category, phase) {
  return session.checklist.find((r) => r.category === category && r.phase === phase);
}

function anyRow(key, code) {
  return session.checklist.find((r) => r[key] === code);
}

/** A checklist code's name in the page's language; unknown codes as themselves. */
export function codeLabel(key, code) {
  if (!code) return t('none');
  return anyRow(key, code)?.labels[getLocale()][key] ?? code;
}

export function pairLabel(category, phase) {
  if (!category && !phase) return t('none');
  const found = row(category, phase);
  if (found) return `${found.labels[getLocale()].category} / ${found.labels[getLocale()].phase}`;
  return [codeLabel('category', category), codeLabel('phase', phase)].join(' / ');
}

/** The checklist's valid category/phase pairs as select options (value "category/phase"). */
export function pairOptions(first) {
  return [first, ...session.checklist.map((r) => [`${r.category}/${r.phase}`, `${r.labels[getLocale()].category} / ${r.labels[getLocale()].phase}`])];
}

export function unitOptions(first) {
  const units = new Map(session.checklist.map((r) => [r.unit, r.labels[getLocale()].unit]));
  return [first, ...units];
}

export function retentionOf(category, phase) {
  const found = row(category, phase);
  return found ? word('retention', found.retentionClass) : t('none');
}

/** A definition list of label → value pairs (values are text). */
export function facts(pairs) {
  return el('dl', undefined, { class: 'facts' }, ...pairs.flatMap(([k, v, cls]) => [el('dt', k), el('dd', v, cls ? { class: cls } : {})]));
}
