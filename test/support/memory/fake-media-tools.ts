import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FfmpegRun } from '../../../src/domain/ffmpeg-runs.ts';
import type { MediaInfo } from '../../../src/domain/media-info.ts';
import type { ImageFacts, Images, MadeImage, ResizeSpec } from '../../../src/ports/images.ts';
import type { MediaTools, RunControl } from '../../../src/ports/media-tools.ts';

/** What ffprobe answers for a path, or the error it fails with. */
export type ProbeAnswer = MediaInfo | Error;

/**
 * ffmpeg and ffprobe as a test scripts them: `probeAnswer` decides each probe (the original, then each
 * proxy made), `runAnswer` each ffmpeg run; a run that does not fail writes every output it names
 * as `output` says: its bytes, or null for none (ffmpeg leaves out a frame it cannot decode). Calls are recorded.
 */
export class FakeMediaTools implements MediaTools {
  readonly probes: string[] = [];
  readonly runs: FfmpegRun[] = [];
  readonly controls: RunControl[] = [];
  output: (path: string) => Buffer | null = () => Buffer.alloc(4000, 1);

  constructor(
    public probeAnswer: (path: string, call: number) => ProbeAnswer,
    public runAnswer: (run: FfmpegRun, call: number) => Error | null = () => null,
  ) {}

  async probe(path: string, control: Omit<RunControl, 'onProgress'>): Promise<MediaInfo> {
    control.signal?.throwIfAborted();
    this.probes.push(path);
    const answer = this.probeAnswer(path, this.probes.length);
    if (answer instanceof Error) throw answer;
    return structuredClone(answer);
  }

  async run(run: FfmpegRun, control: RunControl): Promise<void> {
    control.signal?.throwIfAborted();
    this.runs.push(run);
    this.controls.push(control);
    const failure = this.runAnswer(run, this.runs.length);
    if (failure) throw failure;
    control.onProgress?.({ seconds: run.mediaSeconds ?? 0, percent: run.mediaSeconds ? 100 : null });
    for (const out of run.outputs) {
      const bytes = this.output(out.path);
      if (bytes) await writeFile(out.path, bytes);
    }
  }
}

/** sharp as a test scripts it: `facts` answers for a photo; every made image is a small file of the asked size. */
export class FakeImages implements Images {
  readonly made: Array<{ op: 'resize' | 'strip' | 'encodeRgb'; output: string }> = [];

  constructor(public facts: (path: string) => Promise<ImageFacts> = async (path) => { throw new Error(`FakeImages: no facts scripted for ${basename(path)}`); }) {}

  private async write(op: 'resize' | 'strip' | 'encodeRgb', output: string, width: number, height: number): Promise<MadeImage> {
    await writeFile(output, `${op} ${width}x${height}`);
    this.made.push({ op, output });
    return { width, height, size: 20 };
  }

  resize(_input: string, spec: ResizeSpec, output: string): Promise<MadeImage> {
    return this.write('resize', output, spec.maxWidth, Math.round(spec.maxHeight * 0.75));
  }

  strip(frames: string[], frameWidth: number, output: string): Promise<MadeImage> {
    return this.write('strip', output, frames.length * frameWidth, Math.round(frameWidth * 0.5625));
  }

  encodeRgb(_pixels: Uint8Array, width: number, height: number, output: string): Promise<MadeImage> {
    return this.write('encodeRgb', output, width, height);
  }
}
