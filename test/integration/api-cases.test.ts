import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/audit-chain.ts';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings } from '../support/api.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('API: cases, case files and copy requests', () => {
  let h: ApiHarness;
  let items: ItemRow[];
  beforeAll(async () => {
    h = await createApiHarness();
    h.startWorkers();
    // A.MP4, B.MP4, C.JPG (their capture times may be equal).
    items = (await dockRecordings(h, 'CASE-BWC-1', { 'DCIM/A.MP4': 5000, 'DCIM/B.MP4': 7000, 'DCIM/C.JPG': 900 })).sort((x, y) => x.originalPath.localeCompare(y.originalPath));
    for (const item of items.slice(0, 2)) {
      const res = await h.as('archivist', {
        method: 'PATCH', url: `/api/items/${item.id}/tags`,
        payload: { caseId: 'CASE-9', category: 'administrative-penalty', phase: 'investigation', reason: 'from the case register' },
      });
      expect(res.statusCode).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const post = (role: Parameters<ApiHarness['as']>[0], url: string, payload?: Record<string, unknown>) => h.as(role, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

  it('closes a case with its end date, files it with a locked manifest, and archives it lifting holds', async () => {
    expect((await post('archivist', '/api/cases/CASE-9/case-file')).json()).toMatchObject({ code: 'conflict', message: expect.stringContaining('is not closed') });
    expect((await post('supervisor', '/api/cases/CASE-9/close', { endedAt: '2999-01-01T00:00:00Z' })).json()).toMatchObject({ field: 'endedAt' });
    const endedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    // A case nothing names cannot be closed: its deadline alert could never clear (issue 13).
    expect((await post('supervisor', '/api/cases/NO-SUCH-CASE/close', { endedAt })).json()).toMatchObject({ code: 'not-found', field: 'caseId' });
    const closed = await post('supervisor', '/api/cases/CASE-9/close', { endedAt, reason: 'penalty decided' });
    expect(closed.json().caseFile).toMatchObject({ caseId: 'CASE-9', status: 'due', id: null, dueAt: new Date(Date.parse(endedAt) + 30 * 86_400_000).toISOString() });

    const filed = await post('archivist', '/api/cases/CASE-9/case-file');
    expect(filed.statusCode).toBe(201);
    const file = filed.json();
    expect(file).toMatchObject({ caseId: 'CASE-9', status: 'filed', itemCount: 2, filedBy: 'T-archivist' });
    const body = Buffer.concat(await (await h.deps.store.read(file.manifest.key, file.manifest.versionId)).toArray());
    expect(sha(body)).toBe(file.manifest.sha256);
    const manifest = JSON.parse(body.toString());
    expect(manifest.items.map((i: { id: string }) => i.id).sort()).toEqual(items.slice(0, 2).map((i) => i.id).sort());
    expect(manifest.items[0].manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.deps.store.stat(file.manifest.key, file.manifest.versionId)).not.toBeNull();
    expect((await post('archivist', '/api/cases/CASE-9/case-file')).json().message).toMatch(/was filed already/);

    const list = (await h.as('auditor', { method: 'GET', url: '/api/case-files' })).json();
    expect(list).toEqual([expect.objectContaining({ caseId: 'CASE-9', status: 'filed', id: file.id })]);
    const report = (await h.as('officer', { method: 'GET', url: '/api/cases/CASE-9' })).json();
    expect(report).toMatchObject({ closure: { endedAt, closedBy: 'T-supervisor' }, caseFile: { status: 'filed' } });

    // Tagged into the case after filing: held by the case, but not in the file, so archiving leaves its hold.
    const late = items[2]!;
    expect((await h.as('archivist', { method: 'PATCH', url: `/api/items/${late.id}/tags`, payload: { caseId: 'CASE-9', reason: 'found later' } })).statusCode).toBe(200);
    expect((await post('auxiliary', `/api/case-files/${file.id}/archive`, { reason: 'done' })).statusCode).toBe(403);
    const archived = await post('head', `/api/case-files/${file.id}/archive`, { reason: 'archived under the Archives Law' });
    expect(archived.statusCode).toBe(200);
    expect(archived.json()).toMatchObject({ status: 'archived', archivedBy: 'T-head' });
    expect(archived.json().holdsLifted.sort()).toEqual(items.slice(0, 2).map((i) => i.id).sort());
    expect(archived.json().holdsLifted).not.toContain(late.id);
    expect((await post('head', `/api/case-files/${file.id}/archive`, {})).statusCode).toBe(409);
    expect((await h.as('archivist', { method: 'GET', url: '/api/cases/NO-SUCH-CASE' })).json()).toMatchObject({ code: 'invalid-input', field: 'caseId' });
  });

  it('takes a copy request to the head, packages it after approval, and serves it through a time-limited link as an audited tar', async () => {
    const [a, b, c] = items as [ItemRow, ItemRow, ItemRow];
    await h.as('head', { method: 'PUT', url: `/api/items/${c.id}/confidentiality`, payload: { level: 'confidential', reason: 'state secret' } });
    const secret = await post('supervisor', '/api/copy-requests', { party: 'Mr Wang', reason: 'his hearing', itemIds: [a.id, c.id] });
    expect(secret.json()).toMatchObject({ code: 'invalid-input', field: 'itemIds', message: expect.stringContaining('confidential') });
    expect((await post('auxiliary', '/api/copy-requests', { party: 'Mr Wang', reason: 'his hearing', itemIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] })).statusCode).toBe(404);

    const created = await post('auxiliary', '/api/copy-requests', { party: 'Mr Wang', reason: 'his hearing', itemIds: [a.id, b.id] });
    expect(created.statusCode).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({ status: 'pending', createdBy: 'T-auxiliary' });
    expect((await post('archivist', `/api/copy-requests/${request.id}/package`)).json()).toMatchObject({ code: 'conflict', message: expect.stringContaining('approved by the head first') });
    expect((await post('supervisor', `/api/copy-requests/${request.id}/approve`, { reason: 'not mine' })).statusCode).toBe(403);
    expect((await post('head', `/api/copy-requests/${request.id}/approve`, { reason: 'party to the case' })).json()).toMatchObject({ status: 'approved' });
    expect((await post('head', `/api/copy-requests/${request.id}/refuse`, { reason: 'changed my mind' })).statusCode).toBe(409);
    expect((await h.as('head', { method: 'GET', url: '/api/copy-requests?status=pending' })).json()).toEqual([]);

    // A search that listed this recording and another one not in the package: its content stays home.
    await h.services.audit.append({ actor: 'T-other', action: 'query', target: 'catalog', reason: null, result: 'ok', from: '10.9.9.9', itemIds: [a.id, 'OTHER-RECORDING'] });
    const packaged = await post('archivist', `/api/copy-requests/${request.id}/package`);
    expect(packaged.statusCode).toBe(200);
    const { url, files } = packaged.json();
    const names = files.map((f: { name: string }) => f.name);
    expect(names.slice(0, 3)).toEqual(['manifest.json', 'SHA256SUMS', 'custody.json']);
    expect(names.slice(3).sort()).toEqual([`originals/${a.id}.mp4`, `originals/${b.id}.mp4`].sort());
    const download = await h.app.inject({ method: 'GET', url });
    expect(download.statusCode).toBe(200);
    expect(Number(download.headers['content-length'])).toBe(download.rawPayload.length);
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    writeFileSync(join(dir, 'p.tar'), download.rawPayload);
    execFileSync('tar', ['-xf', 'p.tar'], { cwd: dir });
    const folder = join(dir, `${request.id}-${packaged.json().packageId}`);
    // The party can check every original against the list, and the list against the manifest.
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' })).toMatch(/OK\n.*OK\n$/);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ party: 'Mr Wang', approvedBy: 'T-head', requestedBy: 'T-auxiliary', packagedBy: 'T-archivist' });
    const custody = JSON.parse(readFileSync(join(folder, 'custody.json'), 'utf8'));
    expect(custody[a.id].map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['stored', 'verified', 'copies:decide']));
    // Every entry carries every field its hash covers: the party can recompute each one.
    for (const { hash, ...fields } of Object.values(custody).flat() as Array<{ hash: string; withheld?: string }>) {
      if (!fields.withheld) expect(createHash('sha256').update(canonicalJson(fields)).digest('hex')).toBe(hash);
    }
    expect(custody[a.id]).toContainEqual({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), withheld: 'names recordings outside this package' });
    expect(readFileSync(join(folder, 'custody.json'), 'utf8')).not.toMatch(/OTHER-RECORDING|T-other|10\.9\.9\.9/);
    expect(readFileSync(join(folder, 'SHA256SUMS'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}manifest\.json\n[0-9a-f]{64} {2}custody\.json\n/);

    const downloads = (await h.services.audit.trail({ itemId: a.id })).filter((e) => e.type === 'copies:download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.details).toMatchObject({ party: 'Mr Wang', linkCreatedBy: 'T-archivist', result: 'ok' });
  });
});
