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

/** The files of src/ whose SQL writes `table` (migrations are .sql files and not read). */
const writersOf = (table: string): string[] => {
  const writes = new RegExp(`\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+${table}\\b`, 'i');
  return sources(join(root, 'src')).filter((file) => writes.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
};

/** Issue 11: a dock session's state and a device's record each change in one adapter, so one rule holds for each. */
describe('one writer per table of the dock', () => {
  it('only the docks adapter writes dock sessions', () => {
    expect(writersOf('dock_sessions')).toEqual(['src/adapters/postgres/pg-docks.ts']);
  });

  it('only the docks adapter writes devices (the register calls it for its fields)', () => {
    expect(writersOf('devices')).toEqual(['src/adapters/postgres/pg-docks.ts']);
  });

  it('the check finds a writer', () => {
    expect(writersOf('evidence_items').length).toBeGreaterThan(0);
  });
});
