import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/people.ts';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings, personWithToken, waitForMedia } from '../support/api.ts';
import { makeClip } from '../support/media-fixtures.ts';

const NO_ITEM = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Issue 13's attacks on confidentiality, replayed against the API: each must now fail for the attacker. */
describe('API: confidentiality checked at use, not only at request', () => {
  let h: ApiHarness;
  let items: ItemRow[];
  beforeAll(async () => {
    h = await createApiHarness();
    h.startWorkers();
    await h.startMediaWorkers();
    const dir = mkdtempSync(join(tmpdir(), 'access-clip-'));
    const clip = readFileSync(await makeClip(join(dir, 'a.mp4'), { seconds: 1, size: '160x120' }));
    items = (await dockRecordings(h, 'ACC-BWC-1', { 'DCIM/A.MP4': clip, 'DCIM/B.MP4': 4000, 'DCIM/C.MP4': 5000, 'DCIM/D.MP4': 6000 }))
      .sort((x, y) => x.originalPath.localeCompare(y.originalPath));
    for (const item of items) {
      const tagged = await h.as('archivist', { method: 'PATCH', url: `/api/items/${item.id}/tags`, payload: { caseId: 'CASE-002', reason: 'case register' } });
      expect(tagged.statusCode).toBe(200);
    }
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  const post = (role: Role, url: string, payload?: Record<string, unknown>) => h.as(role, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
  const classify = (id: string, level: string, reason = 'state secret') => h.as('supervisor', { method: 'PUT', url: `/api/items/${id}/confidentiality`, payload: { level, reason } });

  it('refuses to approve or package a request whose recording became confidential after it was made', async () => {
    const [, b, c] = items as [ItemRow, ItemRow, ItemRow];
    expect((await classify(b.id, 'restricted', 'private home')).statusCode).toBe(200);
    const created = await post('archivist', '/api/copy-requests', { party: 'Ms Li', reason: 'her hearing', itemIds: [b.id] });
    expect(created.statusCode).toBe(201);
    expect((await classify(b.id, 'confidential')).statusCode).toBe(200);
    const approve = await post('head', `/api/copy-requests/${created.json().id}/approve`, { reason: 'party to the case' });
    expect(approve.statusCode).toBe(409);
    expect(approve.json()).toMatchObject({ code: 'conflict', field: 'itemIds', message: expect.stringContaining('confidential') });

    // Approved while normal, reclassified before packaging: the package is not built.
    const other = await post('archivist', '/api/copy-requests', { party: 'Ms Li', reason: 'her hearing', itemIds: [c.id] });
    expect((await post('head', `/api/copy-requests/${other.json().id}/approve`, { reason: 'party to the case' })).statusCode).toBe(200);
    expect((await classify(c.id, 'confidential')).statusCode).toBe(200);
    const packaged = await post('archivist', `/api/copy-requests/${other.json().id}/package`);
    expect(packaged.statusCode).toBe(404);
    const asSupervisor = await post('supervisor', `/api/copy-requests/${other.json().id}/package`);
    expect(asSupervisor.statusCode).toBe(409);
    const refusals = (await h.services.audit.trail({ itemId: c.id })).filter((e) => e.type === 'copies:export' && e.details.result === 'refused');
    expect(refusals.map((e) => e.actor)).toEqual(['T-archivist', 'T-supervisor']);
    await classify(b.id, 'normal', 'declassified');
    await classify(c.id, 'normal', 'declassified');
  });

  it('revokes an export link and a playback link when their recording is reclassified above the holder', async () => {
    const [a, , , d] = items as [ItemRow, ItemRow, ItemRow, ItemRow];
    const created = await post('auxiliary', '/api/copy-requests', { party: 'Mr Wang', reason: 'his hearing', itemIds: [d.id] });
    await post('head', `/api/copy-requests/${created.json().id}/approve`, { reason: 'party to the case' });
    const { url } = (await post('archivist', `/api/copy-requests/${created.json().id}/package`)).json();
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(200);

    await waitForMedia(h, a.id);
    const { proxy } = (await post('auxiliary', `/api/items/${a.id}/playback`)).json();
    expect((await h.app.inject({ method: 'GET', url: proxy, headers: { range: 'bytes=0-3' } })).statusCode).toBe(206);

    const reclassified = await classify(a.id, 'restricted');
    expect(reclassified.statusCode).toBe(200);
    expect((await classify(d.id, 'confidential')).statusCode).toBe(200);
    const gone = await h.app.inject({ method: 'GET', url: proxy, headers: { range: 'bytes=0-3' } });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual((await h.app.inject({ method: 'GET', url: '/links/evl_unknown' })).json());
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    const revocations = (await h.services.audit.trail({ itemId: a.id })).filter((e) => e.type === 'items:classify').at(-1);
    expect(revocations?.details.linksRevoked).toBeGreaterThanOrEqual(1);

    // Revoked stays revoked: lowering the level again does not bring the links back.
    await classify(a.id, 'normal', 'declassified');
    await classify(d.id, 'normal', 'declassified');
    expect((await h.app.inject({ method: 'GET', url: proxy, headers: { range: 'bytes=0-3' } })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('answers a recording above the caller exactly as one that does not exist, on every route that names it', async () => {
    const [a] = items as [ItemRow];
    await classify(a.id, 'confidential');
    const routes: Array<[Role, string, string, Record<string, unknown>?]> = [
      ['archivist', 'GET', '/api/items/:id'],
      ['archivist', 'GET', '/api/items/:id/thumbnail'],
      ['archivist', 'POST', '/api/items/:id/playback'],
      ['archivist', 'GET', '/api/items/:id/original?reason=court'],
      ['archivist', 'PATCH', '/api/items/:id/tags', { caseId: 'X-1', reason: 'retag' }],
      ['archivist', 'PUT', '/api/items/:id/confidentiality', { level: 'normal', reason: 'lower it' }],
      ['auxiliary', 'POST', '/api/copy-requests', { party: 'p', reason: 'why not', itemIds: [':id'] }],
    ];
    for (const [role, method, url, payload] of routes) {
      const at = (id: string) => h.as(role, {
        method: method as 'GET', url: url.replace(':id', id), ...(payload ? { payload: JSON.parse(JSON.stringify(payload).replace(':id', id)) } : {}),
      });
      const [hidden, unknown] = [await at(a.id), await at(NO_ITEM)];
      expect(hidden.statusCode, `${method} ${url}`).toBe(404);
      expect(hidden.statusCode).toBe(unknown.statusCode);
      expect(hidden.body.replaceAll(a.id, NO_ITEM), `${method} ${url}`).toBe(unknown.body);
    }
    // Search counts: the recording is not among an archivist's results, by any filter.
    const search = (await h.as('archivist', { method: 'GET', url: `/api/items?sha256=${a.sha256}` })).json();
    expect(search.items).toEqual([]);
    await classify(a.id, 'normal', 'declassified');
  });

  it('filters a person’s trail, a case and alerts to the recordings the caller may read', async () => {
    const [, b] = items as [ItemRow, ItemRow];
    await classify(b.id, 'confidential', 'state secret: do not tell');
    const trail = (await h.as('archivist', { method: 'GET', url: '/api/people/T-supervisor/trail' })).json() as Array<{ itemId: string | null; details: Record<string, unknown> }>;
    expect(trail.length).toBeGreaterThan(0);
    expect(JSON.stringify(trail)).not.toContain(b.id);
    expect(JSON.stringify(trail)).not.toContain('do not tell');
    const full = (await h.as('head', { method: 'GET', url: '/api/people/T-supervisor/trail' })).json();
    expect(JSON.stringify(full)).toContain('do not tell');

    const caseAsAuxiliary = JSON.stringify((await h.as('auxiliary', { method: 'GET', url: '/api/cases/CASE-002' })).json());
    expect(caseAsAuxiliary).not.toContain(b.id);
    const caseAsHead = JSON.stringify((await h.as('head', { method: 'GET', url: '/api/cases/CASE-002' })).json());
    expect(caseAsHead).toContain(b.id);

    const copies = JSON.stringify((await h.as('archivist', { method: 'GET', url: '/api/copy-requests' })).json());
    expect(copies).not.toContain(b.id);
    await classify(b.id, 'normal', 'declassified');
  });

  it('lets nobody approve a copy they asked for', async () => {
    const [a] = items as [ItemRow];
    const mine = await post('head', '/api/copy-requests', { party: 'Court', reason: 'subpoena 7', itemIds: [a.id] });
    expect(mine.statusCode).toBe(201);
    const approve = await post('head', `/api/copy-requests/${mine.json().id}/approve`, { reason: 'self-approved' });
    expect(approve.statusCode).toBe(403);
    expect(approve.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('separation of duties') });
    expect((await post('head', `/api/copy-requests/${mine.json().id}/refuse`, { reason: 'withdrawn' })).statusCode).toBe(200);
  });

  it('lets nobody change their own role, and grants a role that approves, exports or administers only with a second person', async () => {
    const put = (role: Role, badge: string, payload: Record<string, unknown>) => h.as(role, { method: 'PUT', url: `/api/people/${badge}`, payload });
    const self = await put('admin', 'T-admin', { name: 'Test admin', role: 'head', reason: 'promote myself' });
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'forbidden', field: 'role', message: expect.stringContaining('own role') });

    const proposed = await put('admin', 'AD-6001', { name: 'New head', role: 'head', reason: 'appointed by decree 4' });
    expect(proposed.statusCode).toBe(202);
    const grant = proposed.json().grant;
    expect(grant).toMatchObject({ person: { id: 'AD-6001', role: 'head' }, proposedBy: 'T-admin', decision: null });
    expect(await h.services.registry.person('AD-6001')).toBeNull();
    const confirm = (role: Role) => post(role, `/api/role-grants/${grant.id}/confirm`, { reason: 'checked the decree' });
    expect((await confirm('admin')).json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('second person') });
    expect((await confirm('supervisor')).statusCode).toBe(403);
    const confirmed = await confirm('head');
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ decision: 'confirmed', decidedBy: 'T-head', proposedBy: 'T-admin' });
    expect((await h.services.registry.person('AD-6001'))?.role).toBe('head');
    expect((await confirm('head')).statusCode).toBe(409);
    const chain = (await h.services.audit.trail({ person: 'AD-6001' })).map((e) => `${e.actor} ${e.type}`);
    expect(chain).toEqual(expect.arrayContaining(['T-admin role-proposed', 'T-head role-confirmed']));
    const recorded = (await h.services.audit.entries(0, 100_000)).filter((e) => e.type === 'person-recorded' && (e.details.after as { id?: string } | null)?.id === 'AD-6001');
    expect(recorded.map((e) => [e.actor, e.details.reason])).toEqual([['T-head', expect.stringMatching(/proposed by T-admin .*confirmed by T-head/)]]);

    // A second admin confirms as well; a role that approves nothing is saved at once; demoting is direct.
    const admin2 = await personWithToken(h, h.services, 'T-admin2', 'admin');
    const archivist = await put('admin', 'AR-1', { name: 'New archivist', role: 'archivist' });
    expect(archivist.statusCode).toBe(202);
    const byAdmin2 = await h.app.inject({ method: 'POST', url: `/api/role-grants/${archivist.json().grant.id}/confirm`, headers: { authorization: `Bearer ${admin2}` }, payload: {} });
    expect(byAdmin2.json()).toMatchObject({ decision: 'confirmed', decidedBy: 'T-admin2' });
    expect((await h.services.registry.person('AR-1'))?.role).toBe('archivist');
    expect((await put('admin', 'AU-1', { name: 'Aux', role: 'auxiliary' })).json()).toMatchObject({ outcome: 'added' });
    expect((await put('admin', 'AD-6001', { name: 'New head', role: 'officer', reason: 'left the post' })).json()).toMatchObject({ outcome: 'updated' });
  });

  it('disables a person: their token stops at once, and works again once enabled', async () => {
    const token = await personWithToken(h, h.services, 'OFF-9', 'officer');
    const me = () => h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);
    expect((await post('officer', '/api/people/OFF-9/disable', { reason: 'left' })).statusCode).toBe(403);
    expect((await post('admin', '/api/people/T-admin/disable', {})).statusCode).toBe(403);
    expect((await post('admin', '/api/people/OFF-9/disable', { reason: 'left the agency' })).json()).toMatchObject({ changed: true });
    expect((await me()).statusCode).toBe(401);
    expect((await post('head', '/api/people/OFF-9/enable', { reason: 'came back' })).json()).toMatchObject({ changed: true });
    expect((await me()).statusCode).toBe(200);
  });
});
