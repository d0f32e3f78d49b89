import { describe, expect, it } from 'vitest';
import { type HeadSealer, startSealing } from '../../src/app/integrity/seals.ts';
import { createLogger } from '../../src/log.ts';

describe('sealing the chain head while the daemon runs', () => {
  it('seals at every interval, keeps going after a failed seal, and seals once more when stopped', async () => {
    const calls: string[] = [];
    let fail = true;
    const sealer = {
      async seal() {
        calls.push(fail ? 'failed' : 'sealed');
        if (fail) {
          fail = false;
          throw new Error('MinIO unreachable');
        }
        return null;
      },
    } as unknown as HeadSealer;
    const sealing = startSealing(sealer, 20, createLogger('silent'));
    for (const deadline = Date.now() + 5000; calls.length < 3 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    const whileRunning = calls.length;
    await sealing.stop();
    expect(whileRunning).toBeGreaterThanOrEqual(3);
    expect(calls[0]).toBe('failed');
    expect(calls.slice(1).every((c) => c === 'sealed')).toBe(true);
    expect(calls.length).toBe(whileRunning + 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls.length).toBe(whileRunning + 1);
  });
});
