import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.ts';

describe('parseDuration', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
  });

  it.each(['', '30', 'd', '0d', '-1d', '1.5d', '30 days', '1y'])('refuses %j, saying what is accepted', (raw) => {
    expect(() => parseDuration(raw)).toThrow('use a whole number and a unit: 90m, 12h, 30d or 2w');
  });
});
