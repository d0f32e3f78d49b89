import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/domain/people.ts';
import { type Action, actions, can, canSee, type Level, levels } from '../../src/domain/permissions.ts';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings } from '../support/api.ts';

const NO_ITEM = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ITEM = ':item';

/** One route of the OpenAPI document: what it needs, and a harmless request to it. */
interface RouteCase {
  action: Action;
  request: InjectOptions;
  /** The request names a recording (`:item` in its url or body): walked at every confidentiality level too. */
  namesItem?: true;
}

/**
 * Every route the OpenAPI document lists, keyed `METHOD /path` as it lists them. Each request is harmless
 * when allowed (an unknown id, a date in the future, a case no record names), so walking every role
 * leaves nothing changed that a later request depends on. A route added to the server without an entry
 * here fails the suite: it must say which action of the permission table guards it.
 */
const routes: Record<string, RouteCase> = {
  'GET /api/items': { action: 'items:search', request: { method: 'GET', url: '/api/items?case=none' } },
  'GET /api/items/{id}': { action: 'items:read', request: { method: 'GET', url: `/api/items/${ITEM}` }, namesItem: true },
  'GET /api/items/{id}/thumbnail': { action: 'items:play', request: { method: 'GET', url: `/api/items/${ITEM}/thumbnail` }, namesItem: true },
  'POST /api/items/{id}/playback': { action: 'items:play', request: { method: 'POST', url: `/api/items/${ITEM}/playback` }, namesItem: true },
  'GET /api/items/{id}/original': { action: 'items:download', request: { method: 'GET', url: `/api/items/${ITEM}/original?reason=walk` }, namesItem: true },
  'PATCH /api/items/{id}/tags': { action: 'items:tag', request: { method: 'PATCH', url: `/api/items/${ITEM}/tags`, payload: { caseId: 'C-walk', reason: 'walk' } }, namesItem: true },
  'PUT /api/items/{id}/confidentiality': { action: 'items:classify', request: { method: 'PUT', url: `/api/items/${ITEM}/confidentiality`, payload: { level: ':level', reason: 'walk' } }, namesItem: true },
  'GET /api/people/{badge}/trail': { action: 'trail:read', request: { method: 'GET', url: '/api/people/NOBODY/trail' } },
  'GET /api/audit': { action: 'audit:read', request: { method: 'GET', url: '/api/audit?limit=1' } },
  'GET /api/audit/export': { action: 'audit:read', request: { method: 'GET', url: '/api/audit/export?since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z' } },
  'GET /api/people': { action: 'people:read', request: { method: 'GET', url: '/api/people' } },
  'PUT /api/people/{badge}': { action: 'people:write', request: { method: 'PUT', url: '/api/people/T-officer', payload: { name: 'Test officer', role: 'officer', unit: 'enforcement' } } },
  'GET /api/role-grants': { action: 'people:confirm', request: { method: 'GET', url: '/api/role-grants' } },
  'POST /api/role-grants/{id}/confirm': { action: 'people:confirm', request: { method: 'POST', url: `/api/role-grants/${NO_ITEM}/confirm`, payload: {} } },
  'POST /api/people/{badge}/disable': { action: 'people:disable', request: { method: 'POST', url: '/api/people/NOBODY/disable', payload: {} } },
  'POST /api/people/{badge}/enable': { action: 'people:disable', request: { method: 'POST', url: '/api/people/NOBODY/enable', payload: {} } },
  'GET /api/devices': { action: 'devices:read', request: { method: 'GET', url: '/api/devices' } },
  'GET /api/devices/{serial}/assignments': { action: 'devices:read', request: { method: 'GET', url: '/api/devices/NO-DEVICE/assignments' } },
  'PUT /api/devices/{serial}': { action: 'devices:write', request: { method: 'PUT', url: '/api/devices/WALK-1', payload: { model: 'walk' } } },
  'POST /api/devices/{serial}/assignments': { action: 'devices:write', request: { method: 'POST', url: '/api/devices/NO-DEVICE/assignments', payload: { officer: null } } },
  'GET /api/activities': { action: 'activities:read', request: { method: 'GET', url: '/api/activities?case=none' } },
  'POST /api/activities/import': { action: 'activities:write', request: { method: 'POST', url: '/api/activities/import', payload: { name: 'walk.csv', text: 'not,a,valid\nfile' } } },
  'GET /api/cases/{caseId}': { action: 'cases:read', request: { method: 'GET', url: '/api/cases/none' } },
  'POST /api/cases/{caseId}/close': { action: 'cases:close', request: { method: 'POST', url: '/api/cases/none/close', payload: { endedAt: '2999-01-01T00:00:00Z' } } },
  'GET /api/case-files': { action: 'case-files:read', request: { method: 'GET', url: '/api/case-files' } },
  'POST /api/cases/{caseId}/case-file': { action: 'case-files:create', request: { method: 'POST', url: '/api/cases/none/case-file' } },
  'POST /api/case-files/{id}/archive': { action: 'case-files:archive', request: { method: 'POST', url: `/api/case-files/${NO_ITEM}/archive` } },
  'GET /api/copy-requests': { action: 'copies:read', request: { method: 'GET', url: '/api/copy-requests' } },
  'POST /api/copy-requests': { action: 'copies:create', request: { method: 'POST', url: '/api/copy-requests', payload: { party: 'walk', reason: 'walk', itemIds: [ITEM] } }, namesItem: true },
  'POST /api/copy-requests/{id}/approve': { action: 'copies:decide', request: { method: 'POST', url: `/api/copy-requests/${NO_ITEM}/approve`, payload: { reason: 'walk' } } },
  'POST /api/copy-requests/{id}/refuse': { action: 'copies:decide', request: { method: 'POST', url: `/api/copy-requests/${NO_ITEM}/refuse`, payload: { reason: 'walk' } } },
  'POST /api/copy-requests/{id}/package': { action: 'copies:export', request: { method: 'POST', url: `/api/copy-requests/${NO_ITEM}/package` } },
  'GET /admin/jobs/failed': { action: 'admin:queues', request: { method: 'GET', url: '/admin/jobs/failed?queue=no-such-queue' } },
  'POST /admin/jobs/retry': { action: 'admin:queues', request: { method: 'POST', url: '/admin/jobs/retry', payload: { id: 'no-such-job', queue: 'no-such-queue' } } },
  'GET /admin/alerts': { action: 'alerts:read', request: { method: 'GET', url: '/admin/alerts' } },
  'GET /metrics': { action: 'admin:metrics', request: { method: 'GET', url: '/metrics' } },
};

/** Actions only the CLI takes (tested in test/e2e/cli-actor.test.ts). */
const cliOnly: Action[] = ['integrity:verify', 'system:maintain'];

/** Routes open to anyone, each with why. Anything else in the OpenAPI document must be in `routes`. */
const open: Record<string, string> = {
  'GET /healthz': 'liveness, holds nothing',
  'GET /readyz': 'readiness, holds nothing',
  'POST /login': 'how one authenticates',
  'POST /logout': 'ends the caller’s own session',
  'GET /api/me': 'any authenticated person: who am I',
  'GET /api/checklist': 'any authenticated person: the checklist vocabulary (names, valid pairs), no evidence',
  'GET /links/{token}': 'the link token is the credential, checked at use',
};

/** Paths that are not API routes: the web page's files, the API docs, bull-board (guarded as a scope, walked below). */
const notApi = (path: string) => path === '/' || path.startsWith('/docs') || path.startsWith('/admin/queues') || !/^\/(api|admin|links|metrics|healthz|readyz|login|logout)\b/.test(path);

const withItem = (request: InjectOptions, id: string, level: Level): InjectOptions => {
  const text = JSON.stringify(request).replaceAll(ITEM, id).replaceAll(':level', level);
  return JSON.parse(text) as InjectOptions;
};

describe('the role × route × confidentiality walk, generated from the OpenAPI document and the permission table', () => {
  let h: ApiHarness;
  const byLevel = {} as Record<Level, ItemRow>;
  beforeAll(async () => {
    h = await createApiHarness();
    h.startWorkers();
    const docked = await dockRecordings(h, 'WALK-BWC-1', { 'DCIM/N.MP4': 1000, 'DCIM/R.MP4': 2000, 'DCIM/C.MP4': 3000 });
    for (const [i, level] of levels.entries()) {
      const item = docked[i]!;
      if (level !== 'normal') expect((await h.as('head', { method: 'PUT', url: `/api/items/${item.id}/confidentiality`, payload: { level, reason: 'walk' } })).statusCode).toBe(200);
      byLevel[level] = { ...item, confidentiality: level };
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('knows every route of the OpenAPI document, and every action of the table guards one', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const listed = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((key) => !key.startsWith('HEAD ') && !notApi(key.split(' ')[1]!));
    expect(listed.filter((key) => !(key in routes) && !(key in open)), 'routes without an entry in the walk').toEqual([]);
    expect(Object.keys(routes).filter((key) => !listed.includes(key)), 'walk entries for routes that no longer exist').toEqual([]);
    expect([...new Set([...Object.values(routes).map((r) => r.action), ...cliOnly])].sort()).toEqual(Object.keys(actions).sort());
  });

  it('allows exactly what the table allows, refuses the rest with 403, and audits refused evidence actions', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [key, { action, request, namesItem }] of Object.entries(routes)) {
      for (const role of roles) {
        const res = await h.as(role, namesItem ? withItem(request, NO_ITEM, 'normal') : request);
        const refused = res.statusCode === 403;
        outcomes.push(`${role} ${key} ${refused ? 'refused' : 'allowed'}`);
        expected.push(`${role} ${key} ${can(role, action) ? 'allowed' : 'refused'}`);
        expect([200, 201, 400, 404, 409], `${role} ${key}: ${res.body}`).toContain(refused ? 200 : res.statusCode);
        if (refused) expect(res.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining(`your role (${role}) may not`) });
      }
    }
    expect(outcomes).toEqual(expected);

    const refusals = new Set(
      (await h.services.audit.entries(0, 100_000)).filter((e) => e.kind === 'audit' && e.details.result === 'refused').map((e) => `${e.actor} ${e.type}`),
    );
    for (const { action } of Object.values(routes)) {
      for (const role of roles) if (!can(role, action) && actions[action].evidence) expect(refusals, `${role} ${action}`).toContain(`T-${role} ${action}`);
    }
  });

  it('on every route naming a recording: above the caller’s clearance answers exactly as an unknown id', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [key, { action, request, namesItem }] of Object.entries(routes)) {
      if (!namesItem) continue;
      for (const role of roles) {
        if (!can(role, action)) continue;
        const unknown = await h.as(role, withItem(request, NO_ITEM, 'normal'));
        for (const level of levels) {
          const item = byLevel[level];
          const res = await h.as(role, withItem(request, item.id, level));
          const hidden = res.statusCode === unknown.statusCode && res.body.replaceAll(item.id, NO_ITEM) === unknown.body;
          outcomes.push(`${role} ${key} ${level} ${hidden ? 'hidden' : 'served'}`);
          expected.push(`${role} ${key} ${level} ${canSee(role, level) ? 'served' : 'hidden'}`);
          expect(res.statusCode, `${role} ${key} ${level}: ${res.body}`).not.toBe(403);
        }
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('refuses every protected route without credentials (401), and audits anonymous attempts at evidence', async () => {
    for (const { request, namesItem } of Object.values(routes)) {
      expect((await h.as(null, namesItem ? withItem(request, NO_ITEM, 'normal') : request)).statusCode, String(request.url)).toBe(401);
    }
    const anonymous = (await h.services.audit.entries(0, 100_000)).filter((e) => e.actor === 'anonymous' && e.details.result === 'refused');
    expect(anonymous.map((e) => e.type)).toContain('items:download');
  });

  it('guards the queue dashboard as a whole: pages and API alike are for admins only', async () => {
    for (const role of roles) {
      const res = await h.as(role, { method: 'GET', url: '/admin/queues/api/queues' });
      expect(res.statusCode, role).toBe(can(role, 'admin:queues') ? 200 : 403);
    }
  });
});
