import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostIsSecuring, yieldMediaToDocking } from '../../src/app/media/yield-to-docking.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/log.ts';
import type { SessionProgress } from '../../src/ports/catalog.ts';

const session = (over: Partial<SessionProgress>): SessionProgress => ({
  id: 'S', deviceSerial: 'D', dockHost: 'dock-1', mountPath: '/m', state: 'securing', reason: null, startedAt: new Date(), endedAt: null,
  filesTotal: 1, filesDone: 0, filesSecured: 0, filesFailed: 0, bytesTotal: 1, bytesSecured: 0, ...over,
});

describe('media work gives way to securing on the same host', () => {
  afterEach(() => vi.useRealTimers());

  it('counts only the devices this host is reading', () => {
    expect(hostIsSecuring([session({})], 'dock-1')).toBe(true);
    expect(hostIsSecuring([session({ state: 'scanning' })], 'dock-1')).toBe(true);
    expect(hostIsSecuring([session({ dockHost: 'dock-2' })], 'dock-1')).toBe(false);
    expect(hostIsSecuring([session({ state: 'secured', endedAt: new Date() })], 'dock-1')).toBe(false);
    expect(hostIsSecuring([session({ state: 'attention', endedAt: new Date() })], 'dock-1')).toBe(false);
  });

  it('pauses media workers while a device is secured and resumes them after, once each', async () => {
    vi.useFakeTimers();
    let sessions: SessionProgress[] = [];
    const media = { pause: vi.fn(async () => undefined), resume: vi.fn() };
    const deps = {
      catalog: { recentSessions: async () => sessions },
      clock: { now: () => new Date() },
      config: loadConfig({ env: {}, cwd: '/tmp', overrides: { dockHost: 'dock-1' } }),
      log: createLogger('silent'),
    };
    const stop = yieldMediaToDocking(deps, media, 1000);
    await vi.advanceTimersByTimeAsync(1500);
    expect(media.pause).not.toHaveBeenCalled();

    sessions = [session({})];
    await vi.advanceTimersByTimeAsync(3000);
    expect(media.pause).toHaveBeenCalledTimes(1);
    expect(media.resume).not.toHaveBeenCalled();

    sessions = [session({ state: 'secured', endedAt: new Date() })];
    await vi.advanceTimersByTimeAsync(3000);
    expect(media.resume).toHaveBeenCalledTimes(1);
    stop();
  });
});
