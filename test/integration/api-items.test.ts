import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings, waitForMedia } from '../support/api.ts';
import { makeClip } from '../support/media-fixtures.ts';

describe('API: search, detail, confidentiality, download, tags, playback', () => {
  let h: ApiHarness;
  let items: ItemRow[];
  let inCaptureOrder: ItemRow[];
  let clip: Buffer;
  beforeAll(async () => {
    h = await createApiHarness({ 'api.maxPageSize': 2 });
    h.startWorkers();
    await h.startMediaWorkers();
    const dir = mkdtempSync(join(tmpdir(), 'api-clip-'));
    clip = readFileSync(await makeClip(join(dir, 'a.mp4'), { seconds: 2, size: '320x240' }));
    inCaptureOrder = await dockRecordings(h, 'API-BWC-1', { 'DCIM/A.MP4': clip, 'DCIM/B.JPG': 3000, 'DCIM/C.WAV': 4000 });
    // A.MP4 (the clip), B.JPG, C.WAV: their capture times may be equal.
    items = [...inCaptureOrder].sort((x, y) => x.originalPath.localeCompare(y.originalPath));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  const search = (role: Parameters<ApiHarness['as']>[0], query: string) => h.as(role, { method: 'GET', url: `/api/items?${query}` });
  const trailTypes = async (itemId: string) => (await h.services.audit.trail({ itemId })).filter((e) => e.kind === 'audit');

  it('searches by device, pages with a cursor, clamps the page size, and audits the search', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await search('archivist', `device=API-BWC-1&sort=capturedAt&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.limit).toBe(2);
      seen.push(...body.items.map((i: { id: string }) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(inCaptureOrder.map((i) => i.id));
    const first = (await search('archivist', `sha256=${items[0]!.sha256.toUpperCase()}`)).json().items;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ id: items[0]!.id, confidentiality: 'normal', tagSource: 'untagged', links: { thumbnail: `/api/items/${items[0]!.id}/thumbnail` } });
    expect((await search('archivist', 'untagged=true&limit=0')).json().items).toHaveLength(1);
    const audited = (await trailTypes(items[0]!.id)).filter((e) => e.type === 'items:search');
    expect(audited.at(-1)).toMatchObject({ actor: 'T-archivist', details: { result: 'ok', from: '127.0.0.1' } });
  });

  it('answers bad parameters with 400 naming the field, and SQL or HTML in them is only data', async () => {
    expect((await search('archivist', 'since=yesterday')).json()).toMatchObject({ code: 'invalid-input', field: 'since' });
    expect((await search('archivist', 'sha256=abc')).json()).toMatchObject({ code: 'invalid-input', field: 'sha256' });
    expect((await search('archivist', 'sort=size')).json()).toMatchObject({ field: 'sort' });
    expect((await search('archivist', 'cursor=bm9wZQ')).json()).toMatchObject({ code: 'invalid-input', field: 'cursor' });
    expect((await search('archivist', 'colour=red')).statusCode).toBe(400);
    for (const evil of ["x' OR '1'='1", "'; DROP TABLE evidence_items; --", '<script>alert(1)</script>']) {
      const res = await search('archivist', `case=${encodeURIComponent(evil)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([]);
    }
    expect((await search('archivist', 'device=API-BWC-1')).json().items).toHaveLength(2);
  });

  it('shows a recording with its manifest and custody trail; 404 for an unknown id, 400 for a malformed one', async () => {
    const res = await h.as('archivist', { method: 'GET', url: `/api/items/${items[0]!.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.manifest).toMatchObject({ id: items[0]!.id, sha256: items[0]!.sha256 });
    expect(body.custodyTrail.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['hashed', 'stored', 'verified', 'manifest-written', 'items:search']));
    // The read itself is in the trail from then on.
    const again = (await h.as('archivist', { method: 'GET', url: `/api/items/${items[0]!.id}` })).json();
    expect(again.custodyTrail.at(-1)).toMatchObject({ type: 'items:read', actor: 'T-archivist', details: { result: 'ok' } });
    expect(body.tagHistory.length).toBeGreaterThan(0);
    // Officers read the recording, not who else did.
    expect((await h.as('officer', { method: 'GET', url: `/api/items/${items[0]!.id}` })).json().custodyTrail).toBeNull();
    expect((await h.as('archivist', { method: 'GET', url: '/api/items/01ARZ3NDEKTSV4RRFFQ69G5FAV' })).statusCode).toBe(404);
    expect((await h.as('archivist', { method: 'GET', url: '/api/items/nope' })).json()).toMatchObject({ code: 'invalid-input', field: 'id' });
  });

  it('hides a recording above the reader’s clearance from searches, refuses it by id as if unknown (audited), and keeps every change', async () => {
    const id = items[1]!.id;
    const classify = (role: Parameters<ApiHarness['as']>[0], level: string) =>
      h.as(role, { method: 'PUT', url: `/api/items/${id}/confidentiality`, payload: { level, reason: 'shows a private home' } });
    expect((await classify('archivist', 'restricted')).json()).toEqual({ id, previous: 'normal', level: 'restricted' });
    expect((await search('officer', 'device=API-BWC-1&limit=10')).json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    // Above the caller's clearance answers exactly as an unknown id: neither existence nor level leaks (issue 13).
    const refused = await h.as('officer', { method: 'GET', url: `/api/items/${id}` });
    const unknown = await h.as('officer', { method: 'GET', url: '/api/items/01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual({ ...unknown.json(), message: unknown.json().message.replace('01ARZ3NDEKTSV4RRFFQ69G5FAV', id) });
    expect((await trailTypes(id)).find((e) => e.actor === 'T-officer' && e.details.result === 'refused')).toBeDefined();

    expect((await classify('archivist', 'confidential')).json()).toMatchObject({ code: 'forbidden', field: 'level' });
    expect((await classify('head', 'confidential')).statusCode).toBe(200);
    expect((await h.as('archivist', { method: 'GET', url: `/api/items/${id}` })).statusCode).toBe(404);
    const detail = (await h.as('head', { method: 'GET', url: `/api/items/${id}` })).json();
    expect(detail.confidentialityHistory.map((c: { level: string; actor: string }) => `${c.actor}:${c.level}`)).toEqual(['T-archivist:restricted', 'T-head:confidential']);
    expect((await classify('auxiliary', 'normal')).statusCode).toBe(403);
  });

  it('downloads an original only with a reason, recorded; with Range too', async () => {
    const id = items[0]!.id;
    const none = await h.as('archivist', { method: 'GET', url: `/api/items/${id}/original` });
    expect(none.json()).toMatchObject({ code: 'reason-required', field: 'reason' });
    const res = await h.as('archivist', { method: 'GET', url: `/api/items/${id}/original?reason=${encodeURIComponent('court request 12')}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(items[0]!.sha256);
    const part = await h.as('archivist', { method: 'GET', url: `/api/items/${id}/original?reason=resume`, headers: { range: 'bytes=10-19' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${clip.length}`);
    expect(part.rawPayload).toEqual(clip.subarray(10, 20));
    expect((await h.as('archivist', { method: 'GET', url: `/api/items/${id}/original?reason=x1x`, headers: { range: `bytes=${clip.length}-` } })).statusCode).toBe(416);
    expect((await h.as('auxiliary', { method: 'GET', url: `/api/items/${id}/original?reason=curious` })).statusCode).toBe(403);
    const downloads = (await trailTypes(id)).filter((e) => e.type === 'items:download');
    expect(downloads.map((e) => [e.actor, e.details.result, e.details.reason])).toEqual(
      expect.arrayContaining([['T-archivist', 'refused', null], ['T-archivist', 'ok', 'court request 12'], ['T-auxiliary', 'refused', null]]),
    );
  });

  it('changes tags with a reason, refuses a pair the checklist lacks, and keeps the history', async () => {
    const id = items[0]!.id;
    const tag = (payload: Record<string, unknown>) => h.as('auxiliary', { method: 'PATCH', url: `/api/items/${id}/tags`, payload });
    const bad = await tag({ caseId: 'C-1', category: 'administrative-inspection', phase: 'hearing', reason: 'from the case file' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/administrative-inspection/);
    expect((await tag({ caseId: 'C-1' })).json()).toMatchObject({ field: 'reason' });
    const ok = await tag({ caseId: 'C-1', category: 'administrative-penalty', phase: 'hearing', reason: 'hearing of 3 May' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ changed: true, tags: { caseId: 'C-1', checklistRow: 'penalty-hearing', tagSource: 'manual' } });
    const detail = (await h.as('archivist', { method: 'GET', url: `/api/items/${id}` })).json();
    expect(detail.tagHistory.at(-1)).toMatchObject({ actor: 'T-auxiliary', reason: 'hearing of 3 May', current: { caseId: 'C-1' } });
    expect((await search('archivist', 'case=C-1&category=administrative-penalty&phase=hearing')).json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await h.as('head', { method: 'PATCH', url: `/api/items/${id}/tags`, payload: { caseId: 'C-2', reason: 'no' } })).statusCode).toBe(403);
  });

  it('plays the proxy through a short-lived link with HTTP Range, and serves the thumbnail', async () => {
    const id = items[0]!.id;
    await waitForMedia(h, id);
    const res = await h.as('officer', { method: 'POST', url: `/api/items/${id}/playback` });
    expect(res.statusCode).toBe(200);
    const { proxy, poster, expiresAt } = res.json();
    expect(proxy).toMatch(/^\/links\/evl_/);
    expect(poster).toMatch(/^\/links\/evl_/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    const head = await h.app.inject({ method: 'GET', url: proxy, headers: { range: 'bytes=0-11' } });
    expect(head.statusCode).toBe(206);
    expect(head.headers['content-type']).toBe('video/mp4');
    expect(head.rawPayload.subarray(4, 8).toString()).toBe('ftyp');
    expect((await h.app.inject({ method: 'GET', url: '/links/evl_unknown' })).statusCode).toBe(404);
    const thumb = await h.as('auxiliary', { method: 'GET', url: `/api/items/${id}/thumbnail` });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toMatch(/^image\//);
    expect((await h.as('auditor', { method: 'POST', url: `/api/items/${id}/playback` })).statusCode).toBe(403);
  });

  it('refuses a changing request that carries the session cookie from another site', async () => {
    const { pool } = h.deps.catalog;
    const login = await h.app.inject({ method: 'POST', url: '/login', payload: { badge: 'T-archivist', password: 'x' } });
    expect(login.statusCode).toBe(401); // no password set: tokens only
    const { personWithToken } = await import('../support/api.ts');
    await personWithToken(h, h.services, 'A-7', 'archivist', 'a long enough password');
    const cookie = String((await h.app.inject({ method: 'POST', url: '/login', payload: { badge: 'A-7', password: 'a long enough password' } })).headers['set-cookie']).split(';')[0]!;
    const res = await h.app.inject({
      method: 'PUT', url: `/api/items/${items[2]!.id}/confidentiality`, headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' },
      payload: { level: 'restricted', reason: 'forged' },
    });
    expect(res.json()).toMatchObject({ code: 'cross-site' });
    expect((await pool.query('SELECT count(*)::int AS n FROM confidentiality_events WHERE item_id = $1', [items[2]!.id])).rows[0].n).toBe(0);
  });
});
