import type { MediaJobName, MediaJobPayload } from '../../domain/jobs.ts';
import { failureOutcome, type MediaStage } from '../../domain/media-state.ts';
import type { MediaDeps } from './ports.ts';
import type { StageKit } from './stage-kit.ts';

/**
 * A media job that will not run again records how its stage ended. The probe and publish settle the
 * item's state themselves (nothing follows them); transcode and thumbnails leave it to publish, which
 * BullMQ starts once both have ended (their failures are set aside by the flow's policy).
 */
export function mediaFinalFailure(deps: MediaDeps, kit: StageKit) {
  const { catalog } = deps.media;
  return async (name: MediaJobName, p: MediaJobPayload, reason: string, permanent: boolean): Promise<void> => {
    const item = await deps.catalog.findItemBySha256(p.sha256);
    if (!item || item.id !== p.itemId) return; // nothing to record on: the job named no secured item
    const stage = name.slice('media-'.length) as MediaStage;
    const outcome = failureOutcome(permanent);
    const now = deps.clock.now();
    await catalog.recordStageOutcome(item.id, { stage, outcome, reason }, now);
    if (stage === 'probe' || stage === 'publish') {
      await catalog.setState(item.id, outcome, `${stage}: ${reason}`, now, [kit.event(`media-${outcome}`, item, { stage, reason })]);
      await kit.work.release(item.sha256);
    }
  };
}
