/**
 * The media state of an item, as the catalog shows it:
 * - `pending`: queued or running (an item without a recorded state is pending);
 * - `ready`: its proxy (or display image) is published; `reason` names what else could not be made;
 * - `unplayable`: ffmpeg (or the image decoder) cannot decode it; `reason` is the decoder's. The original
 *   stays stored and secured: only derivatives are missing. Not retried.
 * - `failed`: a transient failure outlasted every attempt (storage down, timeouts); worth a retry.
 */
export type MediaState = 'pending' | 'ready' | 'unplayable' | 'failed';
export type SettledState = Exclude<MediaState, 'pending'>;
export type MediaStage = 'probe' | 'transcode' | 'thumbnails' | 'publish';
export type StageOutcomeKind = 'done' | 'unplayable' | 'failed';

export interface StageOutcome {
  stage: MediaStage;
  outcome: StageOutcomeKind;
  reason: string | null;
}

/** How a stage that will not run again ended: a permanent error means the media cannot be decoded. */
export const failureOutcome = (permanent: boolean): 'unplayable' | 'failed' => (permanent ? 'unplayable' : 'failed');

/**
 * The state publish records, from how the two making stages ended. The proxy (transcode) decides
 * whether the item can be played; missing thumbnails only leave a reason. A stage with no recorded
 * outcome ended without reaching its handlers (a job that stalled once too often): failed.
 */
export function publishedState(outcomes: StageOutcome[]): { state: SettledState; reason: string | null } {
  const of = (stage: MediaStage) => outcomes.find((o) => o.stage === stage) ?? { stage, outcome: 'failed' as const, reason: 'did not finish' };
  const transcode = of('transcode');
  const thumbnails = of('thumbnails');
  const why = (o: StageOutcome) => `${o.stage}: ${o.reason ?? o.outcome}`;
  if (transcode.outcome !== 'done') {
    const others = thumbnails.outcome === 'done' ? '' : `; ${why(thumbnails)}`;
    return { state: transcode.outcome, reason: `${why(transcode)}${others}` };
  }
  return { state: 'ready', reason: thumbnails.outcome === 'done' ? null : why(thumbnails) };
}
