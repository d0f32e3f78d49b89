import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearance } from '../../src/domain/permissions.ts';
import { roles } from '../../src/domain/people.ts';
import type { ItemRow } from '../../src/ports/item-search.ts';
import { type ApiHarness, createApiHarness, dockRecordings } from '../support/api.ts';

/** The CSV's data rows (after the header), split into fields only as far as the first three columns. */
const csvRows = (text: string) => text.trim().split('\r\n').slice(1);

describe("API: the web page's settings, the checklist, the audit log as CSV", () => {
  let h: ApiHarness;
  let items: ItemRow[];
  let dockedFrom: Date;
  let dockedUntil: Date;
  beforeAll(async () => {
    h = await createApiHarness({ ui: { locale: 'en', timeZone: 'Europe/Paris' } });
    h.startWorkers();
    dockedFrom = new Date();
    items = await dockRecordings(h, 'UI-BWC-1', { 'DCIM/A.MP4': 3000, 'DCIM/B.MP4': 4000 });
    dockedUntil = new Date(Date.now() + 1);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('tells anyone the configured language and zone, and nothing else', async () => {
    const res = await h.as(null, { method: 'GET', url: '/ui/settings' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ locale: 'en', timeZone: 'Europe/Paris' });
  });

  it('gives every signed-in role the valid category/phase pairs with Chinese and English names, and nobody else', async () => {
    expect((await h.as(null, { method: 'GET', url: '/api/checklist' })).statusCode).toBe(401);
    for (const role of roles) {
      const res = await h.as(role, { method: 'GET', url: '/api/checklist' });
      expect(res.statusCode, role).toBe(200);
    }
    const { rows } = (await h.as('officer', { method: 'GET', url: '/api/checklist' })).json();
    expect(rows.map((r: { category: string; phase: string }) => `${r.category}/${r.phase}`)).toEqual(h.services.checklist.rows.map((r) => `${r.category}/${r.phase}`));
    expect(rows.find((r: { id: string }) => r.id === 'penalty-hearing')).toMatchObject({
      retentionClass: 'long', unit: 'legal-affairs',
      labels: { 'zh-CN': { category: '行政处罚', phase: '听证', unit: '法制机构' }, en: { category: 'Administrative penalty', phase: 'Hearing', unit: 'Legal affairs unit' } },
    });
  });

  it('exports the log of a date range as CSV to the head and auditors only, and records the export', async () => {
    const url = `/api/audit/export?since=${dockedFrom.toISOString()}&until=${dockedUntil.toISOString()}`;
    expect((await h.as(null, { method: 'GET', url })).statusCode).toBe(401);
    for (const role of ['officer', 'archivist', 'supervisor', 'admin'] as const) expect((await h.as(role, { method: 'GET', url })).statusCode, role).toBe(403);

    const res = await h.as('auditor', { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
    const rows = csvRows(res.body);
    expect(rows.length).toBeGreaterThan(0);
    for (const item of items) expect(res.body).toContain(item.id);
    for (const row of rows) {
      const at = new Date(row.split(',')[1]!);
      expect(at >= dockedFrom && at < dockedUntil, row).toBe(true);
    }
    // An earlier range holds none of them; the exports themselves are in the log.
    const before = await h.as('head', { method: 'GET', url: `/api/audit/export?since=2000-01-01T00:00:00Z&until=${dockedFrom.toISOString()}` });
    expect(before.body).not.toContain(items[0]!.id);
    const later = await h.as('auditor', { method: 'GET', url: `/api/audit/export?since=${dockedUntil.toISOString()}&until=2999-01-01T00:00:00Z` });
    expect(later.body).toMatch(/audit:read/);
    expect(later.body).toContain('T-auditor');
  });

  it('refuses a range that ends before it starts, naming the field', async () => {
    const res = await h.as('auditor', { method: 'GET', url: '/api/audit/export?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'until', message: expect.stringContaining('after') });
  });

  it('leaves out entries about a recording above the caller\'s clearance', async () => {
    const secret = items[0]!;
    const set = await h.as('supervisor', { method: 'PUT', url: `/api/items/${secret.id}/confidentiality`, payload: { level: 'confidential', reason: 'state secret' } });
    expect(set.statusCode).toBe(200);
    const url = `/api/audit/export?since=${dockedFrom.toISOString()}&until=2999-01-01T00:00:00Z`;
    expect((await h.as('auditor', { method: 'GET', url })).body).toContain(secret.id);
    // No role that reads the log has less clearance today; the filter must hold if the table changes.
    const saved = clearance.auditor;
    clearance.auditor = 'restricted';
    try {
      const body = (await h.as('auditor', { method: 'GET', url })).body;
      expect(body).not.toContain(secret.id);
      expect(body).toContain(items[1]!.id);
    } finally {
      clearance.auditor = saved;
    }
  });
});
