import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTools } from '../../src/adapters/ffmpeg/ffmpeg-tools.ts';
import { PermanentError } from '../../src/domain/errors.ts';
import { audioProxyRun, videoProxyRun } from '../../src/domain/ffmpeg-runs.ts';
import type { MediaInfo } from '../../src/domain/media-info.ts';
import { makeClip } from '../support/media-fixtures.ts';

/** The ffmpeg adapter against real ffmpeg: which failures are the file's (permanent) and which pass (transient). */
describe('ffmpeg adapter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-tools-'));
  const tools = new FfmpegTools();
  const settings = { proxyHeight: 720, proxyCrf: 23, proxyPreset: 'veryfast', ffmpegThreads: 1 };
  let clip: string;
  let info: MediaInfo;

  beforeAll(async () => {
    clip = await makeClip(join(dir, 'original.mp4'), { seconds: 8, size: '1280x720', creationTime: '2025-01-02T03:04:05Z' });
    info = await tools.probe(clip, { timeoutMs: 10_000 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes duration, streams and the capture time; the secure stage reads the same time', async () => {
    expect(info).toMatchObject({ durationSec: expect.closeTo(8, 0), video: { codec: 'h264', width: 1280, height: 720 }, audio: { codec: 'aac' }, capturedAt: '2025-01-02T03:04:05.000Z' });
    expect(await tools.captureTime(clip)).toEqual(new Date('2025-01-02T03:04:05Z'));
  });

  it('fails for good, with ffmpeg\'s reason and without local paths, on a file nothing decodes', async () => {
    const junk = join(dir, 'original-junk.mp4');
    writeFileSync(junk, Buffer.alloc(4096, 7));
    const error = await tools.probe(junk, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/Invalid data found when processing input/);
    expect((error as Error).message).not.toContain(dir);
  });

  it('reports progress, and a run past its timeout is killed as a transient failure', async () => {
    const seen: Array<number | null> = [];
    const run = videoProxyRun(clip, info, { ...settings, proxyPreset: 'medium' }, { proxy: join(dir, 'slow.mp4'), poster: join(dir, 'slow.jpg') });
    // 3 s: ffmpeg reports its first progress after the encoder has started, over a second on a loaded machine.
    const error = await tools.run(run, { timeoutMs: 3000, onProgress: (p) => seen.push(p.percent) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/timed out/);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('an aborted run kills ffmpeg at once and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const run = videoProxyRun(clip, info, settings, { proxy: join(dir, 'aborted.mp4'), poster: join(dir, 'aborted.jpg') });
    setTimeout(() => controller.abort(new Error('shutdown')), 300);
    const began = Date.now();
    const error = await tools.run(run, { timeoutMs: 60_000, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('shutdown');
    expect(Date.now() - began).toBeLessThan(3000);
    // Killed, not left running: no process mentions its output any more.
    const { stdout } = await promisify(execFile)('pgrep', ['-f', join(dir, 'aborted.mp4')]).catch(() => ({ stdout: '' }));
    expect(stdout.trim()).toBe('');
  });

  it('makes what it was asked, reporting progress up to the whole length', async () => {
    const seen: Array<number | null> = [];
    const out = { proxy: join(dir, 'proxy.mp4'), poster: join(dir, 'poster.jpg') };
    // A small proxy: quick to encode on a busy machine.
    await tools.run(videoProxyRun(clip, info, { ...settings, proxyHeight: 180 }, out), { timeoutMs: 60_000, onProgress: (p) => seen.push(p.percent) });
    expect(await tools.probe(out.proxy, { timeoutMs: 10_000 })).toMatchObject({ durationSec: expect.closeTo(8, 0), video: { codec: 'h264', height: 180 } });
    expect(existsSync(out.poster)).toBe(true);
    for (const p of seen) expect(p).toBeLessThanOrEqual(100);
  });

  it('fails a run for good with the reason ffmpeg gave, naming work files by what they are', async () => {
    const run = audioProxyRun(clip, { ...info, audio: null }, join(dir, 'no-such-dir', 'audio.m4a'));
    const error = await tools.run(run, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/No such file or directory|Error opening output/);
    expect((error as Error).message).not.toContain(dir);
  });
});
