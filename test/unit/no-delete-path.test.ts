import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Where each pattern appears in src/ (CLI commands, API routes, jobs, adapters alike), as "file: line". */
function uses(pattern: RegExp): string[] {
  return sources(join(root, 'src')).flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (pattern.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${relative(root, file)}:${i + 1}`] : [])),
  );
}
const files = (hits: string[]) => [...new Set(hits.map((h) => h.replace(/:\d+$/, '')))].sort();

/**
 * The write-once rule as code review would check it, over every route, command and job: the only code
 * that removes an object version is the discard of an upload no record refers to (a duplicate or a
 * failed verification, before anything was locked), and nothing asks MinIO to bypass a lock.
 */
describe('no code path deletes or overwrites a stored original or manifest', () => {
  it('removes object versions only in the object store adapters, called only for unreferenced uploads while securing', () => {
    expect(files(uses(/\.(removeObject|removeObjects)\(|DeleteObject/))).toEqual(['src/adapters/minio-object-store.ts']);
    expect(files(uses(/discardUnreferenced\(/))).toEqual([
      'src/adapters/memory/memory-object-store.ts', 'src/adapters/minio-object-store.ts', 'src/app/dock/secure/record.ts', 'src/app/dock/secure/upload.ts',
      'src/ports/object-store.ts',
    ]);
  });

  it('never bypasses governance retention, never shortens a lock, and turns legal holds off only when a case releases them', () => {
    expect(uses(/governanceBypass|bypass-governance/i)).toEqual([]);
    expect(files(uses(/putObjectRetention|setObjectLegalHold/))).toEqual(['src/adapters/minio-object-lock.ts']);
    expect(files(uses(/setLegalHold\(.*false\)/))).toEqual(['src/app/integrity/evidence-locks.ts']);
  });

  it("writes an item's original and manifest keys only in the secure step", () => {
    expect(files(uses(/\.put\(\s*(keys\.(original|manifest)|[a-z]+\.objects\.(original|manifest))/))).toEqual(['src/app/dock/secure/record.ts', 'src/app/dock/secure/upload.ts']);
    expect(files(uses(/replaceMetadata\(/))).toEqual(['src/adapters/memory/memory-object-store.ts', 'src/adapters/minio-object-store.ts', 'src/app/dock/secure/upload.ts', 'src/ports/object-store.ts']);
  });
});
