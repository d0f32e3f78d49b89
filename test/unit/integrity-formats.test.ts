import { describe, expect, it } from 'vitest';
import { trailCsv, trailEntryJson } from '../../src/app/integrity/trail.ts';
import { chainEntries, EMPTY_HEAD } from '../../src/domain/audit-chain.ts';
import { buildManifest, type EvidenceItem } from '../../src/domain/evidence.ts';
import { itemFromManifest } from '../../src/domain/manifest-restore.ts';
import { longestClass, retainUntil } from '../../src/domain/retention.ts';

const item: EvidenceItem = {
  id: '01K0000000000000000000000A', sha256: 'a'.repeat(64), size: 1234, kind: 'video', deviceSerial: 'BWC-1', originalPath: 'DCIM/录音 #1.mp4',
  officerId: 'B-7', caseId: 'C-1', category: 'administrative-penalty', phase: 'hearing', capturedAt: new Date('2026-05-01T08:00:00Z'),
  capturedAtSource: 'container', securedAt: new Date('2026-05-01T18:00:00.123Z'), status: 'secured', sessionId: '01K0000000000000000000000S',
  objects: { original: 'items/01K0000000000000000000000A/original.mp4', originalVersion: 'v1', manifest: 'items/01K0000000000000000000000A/manifest.json' },
};

describe('reindex reads back what the secure step wrote', () => {
  it('gives the item back from its manifest, first tags included', () => {
    const manifest = JSON.parse(JSON.stringify(buildManifest(item, 'dock-1', new Date('2026-05-01T09:00:00Z'))));
    expect(itemFromManifest(manifest, item.objects.manifest)).toEqual({ item, mediaMtime: new Date('2026-05-01T09:00:00Z'), securedBy: 'dock-1' });
  });

  it('refuses a manifest that is not one, naming the key and what is wrong', () => {
    const manifest = { ...JSON.parse(JSON.stringify(buildManifest(item, 'dock-1', new Date()))), sha256: 'not-a-hash' };
    expect(() => itemFromManifest(manifest, 'items/X/manifest.json')).toThrow(/items\/X\/manifest.json is not an evidock manifest: sha256/);
    expect(() => itemFromManifest([], 'k')).toThrow(/not an evidock manifest/);
  });
});

describe('retention classes', () => {
  const periods = { standard: 1095, long: 3650, permanent: 36500 };
  it('takes the longest class, by configured days, whatever their names', () => {
    expect(longestClass(['standard', 'long'], periods)).toBe('long');
    expect(longestClass(['permanent', 'standard'], periods)).toBe('permanent');
    expect(longestClass(['long', 'standard'], { standard: 9000, long: 10, permanent: 36500 })).toBe('standard');
  });
  it('counts from when the item was secured, so a retry sets the same date', () => {
    expect(retainUntil(new Date('2026-01-01T00:00:00Z'), 'standard', periods)).toEqual(new Date('2028-12-31T00:00:00Z'));
  });
});

describe('trail export', () => {
  const [first, second] = chainEntries(EMPTY_HEAD, [
    { kind: 'custody', type: 'hashed', at: new Date('2026-05-01T18:00:00Z'), actor: 'dock-1', itemId: item.id, sessionId: null, deviceSerial: 'BWC-1', filePath: 'a,"b".mp4', details: { sha256: 'ab' } },
    { kind: 'audit', type: 'query', at: new Date('2026-05-02T08:00:00Z'), actor: 'A-1', itemId: null, sessionId: null, deviceSerial: null, filePath: null, details: { reason: 'line\nbreak' } },
  ]);

  it('writes RFC 4180 CSV: header, quoted commas, quotes and line breaks, details as JSON', () => {
    const csv = trailCsv([first!, second!]);
    expect(csv.split('\r\n')[0]).toBe('seq,at,kind,type,actor,itemId,sessionId,deviceSerial,filePath,details,prevHash,hash');
    expect(csv).toContain(`1,2026-05-01T18:00:00.000Z,custody,hashed,dock-1,${item.id},,BWC-1,"a,""b"".mp4","{""sha256"":""ab""}",${EMPTY_HEAD.hash},${first!.hash}\r\n`);
    expect(csv).toContain('"{""reason"":""line\\nbreak""}"');
  });

  it('keeps each entry with its place and hashes in JSON', () => {
    expect(trailEntryJson(second!)).toMatchObject({ seq: 2, at: '2026-05-02T08:00:00.000Z', kind: 'audit', prevHash: first!.hash, hash: second!.hash });
  });
});
