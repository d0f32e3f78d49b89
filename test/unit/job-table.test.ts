import { describe, expect, it } from 'vitest';
import { jobOptions, runOptions } from '../../src/adapters/bullmq-options.ts';
import { type JobName, jobNames, type JobPayloads, jobTable, queueFor } from '../../src/domain/jobs.ts';
import type { FinalFailureTable } from '../../src/ports/jobs.ts';

/** A payload per job name for subject number `n`: distinct n, distinct subject. Complete by type, like the table. */
const subject: { [N in JobName]: (n: number) => JobPayloads[N] } = {
  'scan-device': (n) => ({ sessionId: `S${n}`, deviceSerial: 'BWC-1', mountPath: '/dock/BWC-1' }),
  'secure-file': (n) => ({ sessionId: 'S1', deviceSerial: 'BWC-1', mountPath: '/dock/BWC-1', relPath: `DCIM/${n}.mp4`, size: 10, mtimeMs: 1700000000000, kind: 'video', itemId: `I${n}` }),
  'wipe-device': (n) => ({ sessionId: `S${n}`, deviceSerial: 'BWC-1', mountPath: '/dock/BWC-1', deviceDev: 7 }),
  'media-probe': (n) => ({ itemId: `I${n}`, sha256: String(n).padStart(64, '0') }),
  'media-transcode': (n) => ({ itemId: `I${n}`, sha256: String(n).padStart(64, '0') }),
  'media-thumbnails': (n) => ({ itemId: `I${n}`, sha256: String(n).padStart(64, '0') }),
  'media-publish': (n) => ({ itemId: `I${n}`, sha256: String(n).padStart(64, '0') }),
  'check-deadlines': (n) => ({ dockHost: `dock-${n}` }),
  'deliver-alert': (n) => ({ alertId: `A${n}`, status: 'firing' }),
};

const idOf = <N extends JobName>(name: N, n: number) => jobTable[name].id(subject[name](n));
const place = { dockHost: 'dock-pc-1', mediaQueuePrefix: 'site2' };

describe('the job table', () => {
  it('has a row for every job name and nothing else', () => {
    expect(Object.keys(jobTable).sort()).toEqual(Object.keys(subject).sort());
    expect(jobNames).toHaveLength(9);
  });

  it.each(jobNames)('%s: the same subject gets the same id, distinct subjects distinct ids, none with a colon', (name) => {
    expect(idOf(name, 1)).toBe(idOf(name, 1));
    // A copy of the payload, not the same object: the id comes from what the job works on.
    expect(jobTable[name].id(structuredClone(subject[name](1)) as never)).toBe(idOf(name, 1));
    const ids = [1, 2, 3].map((n) => idOf(name, n));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).not.toContain(':');
  });

  it('gives no two job names the same id or the same queue (a row that fell through to another would)', () => {
    const ids = jobNames.map((name) => idOf(name, 1));
    expect(new Set(ids).size).toBe(jobNames.length);
    const queues = jobNames.map((name) => jobTable[name].queue(place));
    expect(new Set(queues).size).toBe(jobNames.length);
  });

  it('keeps the queue names of today: per dock host for device, check and alert jobs; by media prefix for media stages', () => {
    expect(Object.fromEntries(jobNames.map((name) => [name, queueFor(name, 'dock-pc-1', 'site2')]))).toEqual({
      'scan-device': 'scan-dock-pc-1',
      'secure-file': 'secure-dock-pc-1',
      'wipe-device': 'wipe-dock-pc-1',
      'media-probe': 'site2-probe',
      'media-transcode': 'site2-transcode',
      'media-thumbnails': 'site2-thumbnails',
      'media-publish': 'site2-publish',
      'check-deadlines': 'checks-dock-pc-1',
      'deliver-alert': 'alerts-dock-pc-1',
    });
    // Another dock host: its own device queues, the same media queues.
    for (const name of jobNames) {
      const here = queueFor(name, 'dock-pc-1', 'site2');
      const there = queueFor(name, 'dock-pc-2', 'site2');
      if (name.startsWith('media-')) expect(there).toBe(here);
      else expect(there).not.toBe(here);
    }
    expect(queueFor('media-probe', 'dock-pc-1')).toBe('media-probe');
  });

  it('puts important files first, then the rest in docking order; other jobs are not prioritized', () => {
    const file = subject['secure-file'](1);
    expect(jobTable['secure-file'].priority({ ...file, important: true })).toBe(0);
    expect(jobTable['secure-file'].priority(file)).toBe(1);
    for (const name of jobNames.filter((n) => n !== 'secure-file')) expect(jobTable[name].priority(subject[name](1) as never)).toBe(0);
  });

  it('refuses, at compile time, a table without a row for each job name', () => {
    // @ts-expect-error a job table missing rows does not compile
    const jobs: typeof jobTable = { 'scan-device': jobTable['scan-device'] };
    // @ts-expect-error nor does a final-failure table missing rows
    const failures: FinalFailureTable = { 'scan-device': async () => undefined };
    expect(Object.keys(jobs)).toHaveLength(1);
    expect(Object.keys(failures)).toHaveLength(1);
  });
});

describe('job options (one builder for queues and flows)', () => {
  const retry = { attempts: 4, backoffMs: 250 };

  it('carry the id and priority of the table, and the configured attempts with exponential backoff', () => {
    const file = subject['secure-file'](1);
    expect(jobOptions('secure-file', file, retry)).toEqual({
      jobId: jobTable['secure-file'].id(file),
      priority: 1,
      attempts: 4,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    expect(jobOptions('media-publish', subject['media-publish'](1), retry)).toMatchObject({ jobId: idOf('media-publish', 1), priority: 0, attempts: 4 });
  });

  it('run a scheduled deadline check once, kept for a shorter time', () => {
    expect(runOptions('check-deadlines', retry)).toEqual({ attempts: 1, removeOnComplete: { age: 3600, count: 100 }, removeOnFail: { age: 7 * 24 * 3600 } });
  });
});
