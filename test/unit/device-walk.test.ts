import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkDevice } from '../../src/app/dock/device-walk.ts';

describe('walking a device', () => {
  it('lists nested files with posix paths and refuses symlinks with a reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'walk-'));
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.mp4'), 'x');
    mkdirSync(join(root, 'DCIM/100MEDIA'), { recursive: true });
    writeFileSync(join(root, 'DCIM/100MEDIA/FILE0001.MP4'), 'abc');
    writeFileSync(join(root, '执法 记录 #1.mp4'), '');
    symlinkSync(join(outside, 'secret.mp4'), join(root, 'escape.mp4'));
    symlinkSync(join(root, 'DCIM/100MEDIA/FILE0001.MP4'), join(root, 'alias.mp4'));
    symlinkSync(join(root, 'missing.mp4'), join(root, 'dangling.mp4'));

    const entries = [];
    for await (const e of walkDevice(root)) entries.push(e);
    const byPath = Object.fromEntries(entries.map((e) => [e.relPath, e]));

    expect(byPath['DCIM/100MEDIA/FILE0001.MP4']).toMatchObject({ type: 'file', size: 3 });
    expect(byPath['执法 记录 #1.mp4']).toMatchObject({ type: 'file', size: 0 });
    expect(byPath['escape.mp4']).toMatchObject({ type: 'refused', reason: expect.stringMatching(/outside the device/) });
    expect(byPath['alias.mp4']).toMatchObject({ type: 'refused', reason: expect.stringMatching(/on the device, which is secured itself/) });
    expect(byPath['dangling.mp4']).toMatchObject({ type: 'refused', reason: 'dangling symlink' });
    expect(entries).toHaveLength(5);
  });
});
