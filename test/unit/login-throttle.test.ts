import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/api/login-throttle.ts';
import { redactUrl } from '../../src/api/server.ts';
import { retryInMs, waitAfter } from '../../src/domain/login-throttle.ts';

const rules = { freeFailures: 3, delayMs: 100, maxDelayMs: 1000 };

describe('login throttling', () => {
  it('lets the free failures through, then doubles the wait up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 40].map((failures) => waitAfter({ failures, lastAt: 0 }, rules))).toEqual([0, 0, 0, 100, 200, 400, 800, 1000, 1000]);
    expect(retryInMs({ failures: 4, lastAt: 1000 }, rules, 1150)).toBe(50);
    expect(retryInMs({ failures: 4, lastAt: 1000 }, rules, 1200)).toBe(0);
  });

  it('slows a badge and an address alike, and a success clears both', () => {
    const throttle = new LoginThrottle(rules);
    for (let i = 0; i < 4; i++) throttle.failed(['badge:a', 'addr:1'], 0);
    expect(throttle.retryIn(['badge:a', 'addr:2'], 0)).toBe(200);
    expect(throttle.retryIn(['badge:b', 'addr:1'], 0)).toBe(200);
    expect(throttle.retryIn(['badge:b', 'addr:2'], 0)).toBe(0);
    throttle.succeeded(['badge:a', 'addr:1']);
    expect(throttle.retryIn(['badge:a', 'addr:1'], 0)).toBe(0);
  });

  it('keeps memory bounded under a flood of made-up badges', () => {
    const throttle = new LoginThrottle(rules, 10);
    for (let i = 0; i < 1000; i++) throttle.failed([`badge:x${i}`], 0);
    expect(throttle.retryIn(['badge:x0'], 0)).toBe(0);
    for (let i = 0; i < 3; i++) throttle.failed(['badge:x999'], 0);
    expect(throttle.retryIn(['badge:x999'], 0)).toBe(200);
  });
});

describe('log lines', () => {
  it('never carry a link token or a token in a query', () => {
    expect(redactUrl('/links/evl_AbC-123_x?download=1')).toBe('/links/[redacted]?download=1');
    expect(redactUrl('/api/items?token=evd_secret&case=1')).toBe('/api/items?token=[redacted]&case=1');
    expect(redactUrl('/api/items/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('/api/items/01ARZ3NDEKTSV4RRFFQ69G5FAV');
  });
});
