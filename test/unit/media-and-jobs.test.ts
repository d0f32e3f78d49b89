import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { deviceFileKey, jobId, queueFor } from '../../src/domain/jobs.ts';
import { mediaKindOf } from '../../src/domain/media.ts';
import { itemKeys } from '../../src/domain/evidence.ts';

const media = loadConfig({ env: {}, cwd: '/tmp' }).dock.media;

describe('media kinds', () => {
  it.each([
    ['DCIM/100MEDIA/FILE0001.MP4', 'video'],
    ['photos/IMG_1.JPG', 'photo'],
    ['REC/20260501_0800.amr', 'audio'],
    ['LOG/system.txt', null],
    ['noextension', null],
  ])('%s is %s', (path, kind) => expect(mediaKindOf(path, media)).toBe(kind));
});

describe('job ids', () => {
  const file = { sessionId: '01J0SESSION', deviceSerial: 'BWC-1', mountPath: '/dock/BWC-1', relPath: 'DCIM/a.mp4', size: 10, mtimeMs: 1700000000123.5, kind: 'video' as const, itemId: '01JITEM' };

  it('are deterministic and contain no colon', () => {
    expect(jobId('secure-file', file)).toBe(jobId('secure-file', { ...file, itemId: 'other', mountPath: '/elsewhere' }));
    expect(jobId('secure-file', file)).not.toContain(':');
    expect(jobId('scan-device', { sessionId: 'S1', deviceSerial: 'D', mountPath: '/m' })).toBe('scan-S1');
  });

  it('change when the file changes (size or mtime) or is docked in another session', () => {
    const base = jobId('secure-file', file);
    expect(jobId('secure-file', { ...file, size: 11 })).not.toBe(base);
    expect(jobId('secure-file', { ...file, mtimeMs: 1700000001000 })).not.toBe(base);
    expect(jobId('secure-file', { ...file, sessionId: 'other' })).not.toBe(base);
    expect(deviceFileKey(file)).toBe(deviceFileKey({ ...file, sessionId: "other" } as typeof file));
  });

  it('put both device stages on the dock host queue', () => {
    expect(queueFor('secure-file', 'dock-pc-1')).toBe('secure-dock-pc-1');
    expect(queueFor('scan-device', 'dock-pc-1')).toBe('scan-dock-pc-1');
  });
});

describe('object keys', () => {
  it('keep the extension but never the raw device path', () => {
    expect(itemKeys('01JX', '录像/2026 05 01.MP4')).toEqual({ original: 'items/01JX/original.mp4', manifest: 'items/01JX/manifest.json' });
  });
});
