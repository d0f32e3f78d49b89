import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEntries, checkChain, EMPTY_HEAD, type LogEntry } from '../../src/domain/audit-chain.ts';

const entry = (type: string, details: Record<string, unknown> = {}): LogEntry => ({
  kind: 'custody', type, at: new Date('2026-05-01T08:00:00.123Z'), actor: 'dock-1', itemId: 'I1', sessionId: 'S1', deviceSerial: 'BWC-1', filePath: 'a.mp4', details,
});

describe('canonical serialization', () => {
  it('does not depend on key order and sorts nested keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('gives the text a value has after a JSON round trip (as from jsonb): dates, undefined, unicode', () => {
    const value = { when: new Date('2026-01-01T00:00:00Z'), gone: undefined, name: '录音 #1', n: 1.5 };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
    expect(canonicalJson(value)).toBe('{"n":1.5,"name":"录音 #1","when":"2026-01-01T00:00:00.000Z"}');
  });
});

describe('hash chain', () => {
  const chain = chainEntries(EMPTY_HEAD, [entry('hashed'), entry('stored'), entry('verified', { sha256: 'ab' })]);

  it('links each entry to the one before, from the genesis hash', () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]!.prevHash).toBe(EMPTY_HEAD.hash);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(3);
    expect(checkChain(EMPTY_HEAD, chain)).toEqual({ head: { seq: 3, hash: chain[2]!.hash }, breaks: [] });
  });

  it('continues from a given head, so pages check like the whole', () => {
    const more = chainEntries({ seq: 3, hash: chain[2]!.hash }, [entry('tagged')]);
    expect(more[0]).toMatchObject({ seq: 4, prevHash: chain[2]!.hash });
    expect(checkChain({ seq: 3, hash: chain[2]!.hash }, more).breaks).toEqual([]);
  });

  it('finds an altered field, once, naming the entry', () => {
    const altered = chain.map((e) => (e.seq === 2 ? { ...e, actor: 'someone-else' } : e));
    const { breaks } = checkChain(EMPTY_HEAD, altered);
    expect(breaks).toEqual([{ seq: 2, problem: 'hash-mismatch', detail: expect.stringContaining('entry 2 (custody stored) was altered') }]);
  });

  it('finds an altered detail and a changed time', () => {
    expect(checkChain(EMPTY_HEAD, chain.map((e) => (e.seq === 3 ? { ...e, details: { sha256: 'ac' } } : e))).breaks[0]).toMatchObject({ seq: 3, problem: 'hash-mismatch' });
    expect(checkChain(EMPTY_HEAD, chain.map((e) => (e.seq === 1 ? { ...e, at: new Date(e.at.getTime() + 1) } : e))).breaks[0]).toMatchObject({ seq: 1, problem: 'hash-mismatch' });
  });

  it('finds a removed entry, and a rewritten entry whose own hash was recomputed', () => {
    expect(checkChain(EMPTY_HEAD, [chain[0]!, chain[2]!]).breaks.map((b) => b.problem)).toEqual(['gap', 'prev-mismatch']);
    const [rewritten] = chainEntries(EMPTY_HEAD, [{ ...entry('hashed'), actor: 'forger' }]);
    expect(checkChain(EMPTY_HEAD, [rewritten!, chain[1]!, chain[2]!]).breaks).toEqual([{ seq: 2, problem: 'prev-mismatch', detail: expect.any(String) }]);
  });
});
