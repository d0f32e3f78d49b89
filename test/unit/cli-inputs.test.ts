import { describe, expect, it } from 'vitest';
import { failureOf, UsageError } from '../../src/cli/exit-codes.ts';
import { checkUniquePrefix, sha256Prefix } from '../../src/cli/sha256-prefix.ts';
import { parseCliTime, useAgencyZone } from '../../src/cli/times.ts';

describe('--sha256', () => {
  it('takes 6 to 64 hex digits, any case, and refuses anything else as a usage error', () => {
    expect(sha256Prefix('ABCDEF12')).toBe('abcdef12');
    for (const bad of ['zz', 'abcde', 'g'.repeat(10), 'a'.repeat(65), '%abcdef', 'abc_def']) {
      expect(() => sha256Prefix(bad), bad).toThrow(/not a SHA-256 or a prefix/);
      try {
        sha256Prefix(bad);
      } catch (error) {
        expect(failureOf(error).exitCode).toBe(2);
      }
    }
  });

  it('a prefix matching files with different hashes is refused (exit 2); the same file twice is fine', () => {
    expect(() => checkUniquePrefix('abcdef', ['abcdef01', 'abcdef02'])).toThrow(UsageError);
    expect(failureOf(new UsageError('x')).exitCode).toBe(2);
    expect(() => checkUniquePrefix('abcdef', ['abcdef01', 'abcdef01'])).not.toThrow();
    expect(() => checkUniquePrefix(undefined, ['a', 'b'])).not.toThrow();
  });
});

describe('command-line times', () => {
  it('reads a time without an offset in the agency zone, one with an offset as written', () => {
    useAgencyZone(() => 'Asia/Shanghai');
    expect(parseCliTime('2026-05-01T08:00').toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(parseCliTime('2026-05-01').toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(parseCliTime('2026-05-01T08:00:00Z').toISOString()).toBe('2026-05-01T08:00:00.000Z');
    expect(parseCliTime('2026-05-01T08:00:00-05:00').toISOString()).toBe('2026-05-01T13:00:00.000Z');
    useAgencyZone(() => 'America/New_York');
    expect(parseCliTime('2026-07-01T08:00').toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(() => parseCliTime('yesterday')).toThrow(/not a date/);
    expect(() => parseCliTime('2026-02-30T08:00')).toThrow(/not a date/);
  });
});
