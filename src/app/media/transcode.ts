import { join } from 'node:path';
import { PermanentError } from '../../domain/errors.ts';
import { audioProxyRun, videoProxyRun } from '../../domain/ffmpeg-runs.ts';
import type { MediaInfo } from '../../domain/media-info.ts';
import { proxyDimensions, proxyProblem } from '../../domain/media-plan.ts';
import type { Processor } from '../../ports/jobs.ts';
import type { MediaDeps } from './ports.ts';
import type { Made, Making, StageKit } from './stage-kit.ts';

/**
 * The item's playable derivative: an H.264/AAC MP4 proxy and a poster frame (one ffmpeg run) for video,
 * an AAC proxy for sound, a display JPEG for a photo. Everything is made in a scratch folder and checked
 * (ffprobe on the proxy) before anything is uploaded: a run killed midway leaves nothing published.
 */
export function mediaTranscodeProcessor(deps: MediaDeps, kit: StageKit): Processor<'media-transcode'> {
  const s = deps.config.media;
  const { tools, images } = deps.media;

  const checkedProxy = async (path: string, original: MediaInfo, plan: 'video' | 'audio', signal: AbortSignal): Promise<MediaInfo> => {
    const made = await tools.probe(path, { timeoutMs: s.probeTimeoutMs, signal });
    const problem = proxyProblem(original, made, plan, s.durationToleranceSec);
    if (problem) throw new PermanentError(problem, 'unplayable');
    return made;
  };

  const video = async ({ info, original, dir, control }: Making): Promise<Made[]> => {
    const out = { proxy: join(dir, 'proxy.mp4'), poster: join(dir, 'poster.jpg') };
    await tools.run(videoProxyRun(original, info, s, out), control);
    const proxy = await checkedProxy(out.proxy, info, 'video', control.signal);
    if (!(await kit.exists(out.poster))) throw new PermanentError('no frame could be decoded for the poster', 'unplayable');
    return [
      { role: 'proxy', path: out.proxy, facts: { width: proxy.video?.width ?? null, height: proxy.video?.height ?? null, durationSec: proxy.durationSec } },
      { role: 'poster', path: out.poster, facts: { ...proxyDimensions(info.video!, s.proxyHeight), durationSec: null } },
    ];
  };

  const audio = async ({ info, original, dir, control }: Making): Promise<Made[]> => {
    const out = join(dir, 'proxy.m4a');
    await tools.run(audioProxyRun(original, info, out), control);
    const proxy = await checkedProxy(out, info, 'audio', control.signal);
    return [{ role: 'proxy', path: out, facts: { width: null, height: null, durationSec: proxy.durationSec } }];
  };

  const photo = async ({ original, dir }: Making): Promise<Made[]> => {
    const out = join(dir, 'display.jpg');
    const image = await images.resize(original, { maxWidth: s.photoMaxSize, maxHeight: s.photoMaxSize, format: 'jpeg', quality: 85 }, out);
    return [{ role: 'display', path: out, facts: { width: image.width, height: image.height, durationSec: null } }];
  };

  return kit.makingStage('media-transcode', (m) => (m.plan === 'video' ? video(m) : m.plan === 'audio' ? audio(m) : photo(m)));
}
