import type { MediaJobName, MediaJobPayload } from '../../domain/jobs.ts';
import type { MediaDeps } from './ports.ts';
import { mediaFinalFailure } from './final-failure.ts';
import { mediaProbeProcessor } from './probe.ts';
import { mediaPublishProcessor } from './publish.ts';
import { stageKit } from './stage-kit.ts';
import { mediaThumbnailsProcessor } from './thumbnails.ts';
import { mediaTranscodeProcessor } from './transcode.ts';

/** The media stages' processors and their final-failure handler, sharing one set of local work files. */
export function mediaProcessors(deps: MediaDeps) {
  const kit = stageKit(deps);
  return {
    processors: {
      'media-probe': mediaProbeProcessor(deps, kit),
      'media-transcode': mediaTranscodeProcessor(deps, kit),
      'media-thumbnails': mediaThumbnailsProcessor(deps, kit),
      'media-publish': mediaPublishProcessor(deps, kit),
    },
    onFinalFailure: mediaFinalFailure(deps, kit) as (name: MediaJobName, p: MediaJobPayload, reason: string, permanent: boolean) => Promise<void>,
    work: kit.work,
  };
}
