import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchSql } from '../../src/adapters/postgres/pg-item-search.ts';
import { caseFileDue, caseFileManifest, caseFileStatus } from '../../src/domain/case-files.ts';
import { checkCopyTransition, copyStatus } from '../../src/domain/copy-requests.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../src/domain/search.ts';
import { tarEnd, tarHeader, tarPadding, tarSize } from '../../src/domain/tar.ts';

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('search pages', () => {
  it('clamps page sizes into [1, max] and uses the default when none is asked', () => {
    expect(clampPageSize(undefined, 50, 500)).toBe(50);
    expect(clampPageSize(100_000, 50, 500)).toBe(500);
    expect(clampPageSize(0, 50, 500)).toBe(1);
    expect(clampPageSize(-3, 50, 500)).toBe(1);
    expect(clampPageSize(undefined, 50, 20)).toBe(20);
  });

  it('round-trips a cursor, and refuses one that is forged or from another sort', () => {
    const cursor = { sort: '-capturedAt' as const, value: new Date('2026-05-01T08:00:00Z'), id: ID };
    expect(decodeCursor(encodeCursor(cursor), '-capturedAt')).toEqual(cursor);
    expect(() => decodeCursor(encodeCursor(cursor), 'securedAt')).toThrow('keep the same sort while paging');
    for (const bad of ['', 'nope', Buffer.from('["-capturedAt","2026-01-01",1]').toString('base64url'), Buffer.from(`["-capturedAt","x","${ID}"]`).toString('base64url')]) {
      expect(() => decodeCursor(bad, '-capturedAt'), bad).toThrow('not a cursor from this API');
    }
  });

  it('binds every value as a parameter and filters only on what was asked', () => {
    const evil = "x' OR 1=1; DROP TABLE evidence_items; --";
    const { text, values } = searchSql({
      filters: { caseId: evil, untagged: true, since: new Date(0) }, levels: ['normal'], sort: '-capturedAt',
      after: { sort: '-capturedAt', value: new Date(1), id: ID }, limit: 10,
    });
    expect(text).not.toContain(evil);
    expect(values).toContain(evil);
    expect(text).toContain(`tag_source = 'untagged'`);
    expect(text.split(' WHERE ')[1]).not.toMatch(/officer_id|device_serial/);
    expect(text).toMatch(/\(captured_at, id\) < \(\$\d+, \$\d+\) ORDER BY captured_at DESC, id DESC LIMIT \$\d+$/);
    expect(values.at(-1)).toBe(11);
  });
});

describe('case files', () => {
  const ended = new Date('2026-05-01T00:00:00Z');
  it('are due 30 days after the case ended, and say where they stand', () => {
    const due = caseFileDue(ended);
    expect(due.toISOString()).toBe('2026-05-31T00:00:00.000Z');
    expect(caseFileStatus(due, null, new Date('2026-05-20T00:00:00Z'))).toBe('due');
    expect(caseFileStatus(due, null, new Date('2026-06-01T00:00:00Z'))).toBe('overdue');
    expect(caseFileStatus(due, { filedAt: new Date('2026-05-30T00:00:00Z'), archivedAt: null }, new Date('2026-07-01T00:00:00Z'))).toBe('filed');
    expect(caseFileStatus(due, { filedAt: new Date('2026-06-02T00:00:00Z'), archivedAt: null }, new Date('2026-07-01T00:00:00Z'))).toBe('filed-late');
    expect(caseFileStatus(due, { filedAt: due, archivedAt: new Date() }, new Date())).toBe('archived');
  });

  it('list their recordings in capture order in the manifest', () => {
    const entry = (id: string, capturedAt: string) => ({
      id, sha256: 'a'.repeat(64), size: 1, kind: 'video', capturedAt, officerId: null, category: null, phase: null, checklistRow: null,
      original: { key: `items/${id}/original.mp4`, versionId: 'v1' }, manifest: { key: `items/${id}/manifest.json`, versionId: 'v2', sha256: 'b'.repeat(64) },
    });
    const m = caseFileManifest({ id: 'F', caseId: 'C-1', caseEndedAt: ended, dueAt: caseFileDue(ended), filedAt: ended, filedBy: 'A-1' }, [entry('B', '2026-04-02T00:00:00Z'), entry('A', '2026-04-01T00:00:00Z')]);
    expect(m.items.map((i) => i.id)).toEqual(['A', 'B']);
    expect(m).toMatchObject({ caseId: 'C-1', itemCount: 2, dueAt: '2026-05-31T00:00:00.000Z' });
  });
});

describe('copy requests', () => {
  it('are decided once, by approval or refusal, and exported only once approved', () => {
    expect(copyStatus([])).toBe('pending');
    expect(() => checkCopyTransition('pending', 'approved')).not.toThrow();
    expect(() => checkCopyTransition('pending', 'packaged')).toThrow('cannot export a request that is pending: it must be approved by the head first');
    expect(() => checkCopyTransition('refused', 'approved')).toThrow('only a pending request is decided');
    expect(() => checkCopyTransition('approved', 'refused')).toThrow('cannot refuse a request that is approved');
    expect(() => checkCopyTransition('packaged', 'packaged')).not.toThrow();
    expect(copyStatus([{ action: 'approved' }, { action: 'packaged' }])).toBe('packaged');
  });
});

describe('tar', () => {
  it('writes an archive that tar lists and extracts byte for byte', () => {
    const files: Array<[string, Buffer]> = [['pkg/manifest.json', Buffer.from('{"a":1}\n')], ['pkg/originals/x.bin', Buffer.alloc(1025, 7)], ['pkg/empty', Buffer.alloc(0)]];
    const parts = files.flatMap(([name, body]) => [tarHeader(name, body.length, new Date('2026-05-01T00:00:00Z')), body, tarPadding(body.length)]);
    const archive = Buffer.concat([...parts, tarEnd]);
    expect(archive.length).toBe(tarSize(files.map(([, b]) => b.length)));
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    writeFileSync(join(dir, 'a.tar'), archive);
    expect(execFileSync('tar', ['-tf', join(dir, 'a.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(files.map(([n]) => n));
    execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir]);
    for (const [name, body] of files) expect(readFileSync(join(dir, name))).toEqual(body);
  });

  it('refuses a name tar could not hold', () => {
    expect(() => tarHeader('x'.repeat(101), 1, new Date())).toThrow('1-100 printable ASCII');
    expect(() => tarHeader('录音.wav', 1, new Date())).toThrow('1-100 printable ASCII');
  });
});
