import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/domain/people.ts';
import { type Action, actions, can } from '../../src/domain/permissions.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';

const NO_ITEM = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * One request per action. Each is harmless when allowed (an unknown id, a date in the future, a case no
 * record names), so that walking every role leaves nothing changed that a later request depends on.
 */
const requests: Record<Action, InjectOptions> = {
  'items:search': { method: 'GET', url: '/api/items?case=none' },
  'items:read': { method: 'GET', url: `/api/items/${NO_ITEM}` },
  'items:play': { method: 'POST', url: `/api/items/${NO_ITEM}/playback` },
  'items:download': { method: 'GET', url: `/api/items/${NO_ITEM}/original?reason=walk` },
  'items:tag': { method: 'PATCH', url: `/api/items/${NO_ITEM}/tags`, payload: { caseId: 'C-walk', reason: 'walk' } },
  'items:classify': { method: 'PUT', url: `/api/items/${NO_ITEM}/confidentiality`, payload: { level: 'normal', reason: 'walk' } },
  'trail:read': { method: 'GET', url: '/api/people/NOBODY/trail' },
  'people:read': { method: 'GET', url: '/api/people' },
  'people:write': { method: 'PUT', url: '/api/people/T-officer', payload: { name: 'Test officer', role: 'officer', unit: 'enforcement' } },
  'devices:read': { method: 'GET', url: '/api/devices' },
  'devices:write': { method: 'POST', url: '/api/devices/NO-DEVICE/assignments', payload: { officer: null } },
  'activities:read': { method: 'GET', url: '/api/activities?case=none' },
  'activities:write': { method: 'POST', url: '/api/activities/import', payload: { name: 'walk.csv', text: 'not,a,valid\nfile' } },
  'cases:read': { method: 'GET', url: '/api/cases/none' },
  'cases:close': { method: 'POST', url: '/api/cases/none/close', payload: { endedAt: '2999-01-01T00:00:00Z' } },
  'case-files:read': { method: 'GET', url: '/api/case-files' },
  'case-files:create': { method: 'POST', url: '/api/cases/none/case-file' },
  'case-files:archive': { method: 'POST', url: `/api/case-files/${NO_ITEM}/archive` },
  'copies:read': { method: 'GET', url: '/api/copy-requests' },
  'copies:create': { method: 'POST', url: '/api/copy-requests', payload: { party: 'walk', reason: 'walk', itemIds: [NO_ITEM] } },
  'copies:decide': { method: 'POST', url: `/api/copy-requests/${NO_ITEM}/approve`, payload: { reason: 'walk' } },
  'copies:export': { method: 'POST', url: `/api/copy-requests/${NO_ITEM}/package` },
  'audit:read': { method: 'GET', url: '/api/audit?limit=1' },
  'admin:queues': { method: 'GET', url: '/admin/jobs/failed?queue=no-such-queue' },
  'admin:metrics': { method: 'GET', url: '/metrics' },
};

describe('the role × action table, walked through HTTP', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('covers every action', () => {
    expect(Object.keys(requests).sort()).toEqual(Object.keys(actions).sort());
  });

  it('allows exactly what the table allows, refuses the rest with 403, and audits refused evidence actions', async () => {
    const outcomes: string[] = [];
    for (const [action, request] of Object.entries(requests) as Array<[Action, InjectOptions]>) {
      for (const role of roles) {
        const res = await h.as(role, request);
        const refused = res.statusCode === 403;
        outcomes.push(`${role} ${action} ${refused ? 'refused' : 'allowed'}`);
        expect([200, 201, 400, 404, 409], `${role} ${action}: ${res.body}`).toContain(refused ? 200 : res.statusCode);
        if (refused) expect(res.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining(`your role (${role}) may not`) });
      }
    }
    const expected = Object.keys(requests).flatMap((action) => roles.map((role) => `${role} ${action} ${can(role, action as Action) ? 'allowed' : 'refused'}`));
    expect(outcomes).toEqual(expected);

    // Every refused evidence action left an audit event naming who, what and the result.
    const refusals = new Set(
      (await h.services.audit.entries(0, 100_000)).filter((e) => e.kind === 'audit' && e.details.result === 'refused').map((e) => `${e.actor} ${e.type}`),
    );
    for (const action of Object.keys(requests) as Action[]) {
      for (const role of roles) if (!can(role, action) && actions[action].evidence) expect(refusals, `${role} ${action}`).toContain(`T-${role} ${action}`);
    }
  });

  it('refuses every protected route without credentials (401), and audits anonymous attempts at evidence', async () => {
    for (const request of Object.values(requests)) expect((await h.as(null, request)).statusCode, String(request.url)).toBe(401);
    const anonymous = (await h.services.audit.entries(0, 100_000)).filter((e) => e.actor === 'anonymous' && e.details.result === 'refused');
    expect(anonymous.map((e) => e.type)).toContain('items:download');
  });
});
