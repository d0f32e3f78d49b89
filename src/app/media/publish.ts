import type { MediaJobPayload } from '../../domain/jobs.ts';
import { publishedState } from '../../domain/media-state.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import type { MediaDeps } from './ports.ts';
import type { StageKit } from './stage-kit.ts';

/**
 * Ends an item's flow once transcode and thumbnails have both ended, each made or failed: records the
 * item's media state from how they ended (their derivatives were recorded as each was checked and
 * stored) and drops this host's copy of the original.
 */
export function mediaPublishProcessor(deps: MediaDeps, kit: StageKit): Processor<'media-publish'> {
  const { catalog } = deps.media;
  return async (p: MediaJobPayload, _ctx: JobContext) => {
    const item = await kit.item(p);
    const { state, reason } = publishedState(await catalog.stageOutcomes(item.id));
    const derivatives = (await catalog.mediaOf([item.id])).get(item.id)?.derivatives ?? [];
    const roles = derivatives.map((d) => d.role);
    await catalog.setState(item.id, state, reason, deps.clock.now(), [kit.event(`media-${state}`, item, { reason, derivatives: roles })]);
    await kit.work.release(item.sha256);
    return { outcome: state, reason, derivatives: roles };
  };
}
