import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessorTable } from '../../src/ports/jobs.ts';
import { createHarness, type Harness, makeDevice, waitFor } from '../support/harness.ts';

describe('crash, shutdown and retry never lose or double a file (real BullMQ)', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('jobs running at shutdown are released and finish on the next start, each file stored once', async () => {
    h = await createHarness({ 'secure.concurrency': 2 });
    const files: Record<string, number> = {};
    for (let i = 0; i < 12; i++) files[`DCIM/${i}.mp4`] = 100_000;
    const mountPath = makeDevice(join(h.dockDir, 'RESTART-1'), files);

    let started = 0;
    // First run: secure jobs hang until shutdown aborts them, like a slow upload when the host stops.
    h.startWorkers((table): ProcessorTable => ({
      ...table,
      'secure-file': async (_payload, ctx) => {
        started += 1;
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
        throw new Error('unreachable');
      },
    }));
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: null });
    await waitFor('two secure jobs running', async () => started >= 2);
    await h.stopWorkers(200);

    h.startWorkers();
    const session = await h.waitForSession('RESTART-1');
    expect(session).toMatchObject({ state: 'secured', filesSecured: 12, filesFailed: 0 });
    const items = await h.deps.catalog.queryItems({ device: 'RESTART-1' });
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.originalPath)).size).toBe(12);
  });

  it('a transient failure is retried with backoff; one that keeps failing is recorded on the file and the session', async () => {
    h = await createHarness({ 'secure.attempts': 3 });
    const mountPath = makeDevice(join(h.dockDir, 'RETRY-1'), { 'flaky.mp4': 5000, 'broken.mp4': 5000, 'fine.mp4': 5000 });
    const calls: Record<string, number> = {};
    h.startWorkers((table): ProcessorTable => ({
      ...table,
      'secure-file': async (payload, ctx) => {
        calls[payload.relPath] = (calls[payload.relPath] ?? 0) + 1;
        if (payload.relPath === 'flaky.mp4' && calls[payload.relPath] === 1) throw new Error('ECONNRESET: object store connection reset');
        if (payload.relPath === 'broken.mp4') throw new Error('EIO: read error on device');
        return table['secure-file'](payload, ctx);
      },
    }));
    await h.dock.handle({ type: 'docked', mountPath, volumeLabel: null });
    const session = await h.waitForSession('RETRY-1');
    expect(calls).toEqual({ 'flaky.mp4': 2, 'broken.mp4': 3, 'fine.mp4': 1 });
    expect(session).toMatchObject({ state: 'attention', filesSecured: 2, filesFailed: 1, reason: expect.stringMatching(/1 of 3 files could not be secured/) });
    expect(await h.deps.catalog.sessionFile(session.id, 'broken.mp4')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/EIO/) });
    const failed = (await h.deps.catalog.custodyEvents({ sessionId: session.id })).filter((e) => e.type === 'secure-failed');
    expect(failed).toMatchObject([{ filePath: 'broken.mp4', details: { reason: expect.stringMatching(/EIO/) } }]);
  });
});
