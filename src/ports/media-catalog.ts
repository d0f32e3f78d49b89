import type { CustodyEvent } from '../domain/custody.ts';
import type { CapturedAtSource } from '../domain/evidence.ts';
import type { MediaInfo } from '../domain/media-info.ts';
import type { DerivativeRole, PlanKind } from '../domain/media-plan.ts';
import type { MediaStage, MediaState, SettledState, StageOutcome } from '../domain/media-state.ts';

export interface Derivative {
  role: DerivativeRole;
  key: string;
  versionId: string | null;
  contentType: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  durationSec: number | null;
  madeAt: Date;
}

/** An item's media as the catalog shows it. */
export interface ItemMedia {
  state: MediaState;
  reason: string | null;
  plan: PlanKind | null;
  info: MediaInfo | null;
  derivatives: Derivative[];
}

export interface ProbeRecord {
  itemId: string;
  plan: PlanKind;
  info: MediaInfo;
  at: Date;
  /** A better capture time than the item had, with its source. */
  capturedAt: { at: Date; source: CapturedAtSource } | null;
  events: CustodyEvent[];
}

/** The media pipeline's part of the catalog: probe results, derivatives, stage outcomes and the media state. */
export interface MediaCatalog {
  /** Media of these items; an item with none recorded yet is `pending`. */
  mediaOf(itemIds: string[]): Promise<Map<string, ItemMedia>>;
  /** What the probe found and which stages are done: what a making stage starts from (null: not probed). */
  probed(itemId: string): Promise<{ plan: PlanKind; info: MediaInfo; done: MediaStage[] } | null>;
  /** Probe facts, plan and (when it changed) the item's capture time, in one transaction. */
  recordProbe(record: ProbeRecord): Promise<void>;
  /** Derivatives made by a stage, and the stage's outcome `done`, in one transaction. */
  recordDerivatives(itemId: string, stage: MediaStage, derivatives: Derivative[], events: CustodyEvent[]): Promise<void>;
  recordStageOutcome(itemId: string, outcome: StageOutcome, at: Date): Promise<void>;
  stageOutcomes(itemId: string): Promise<StageOutcome[]>;
  setState(itemId: string, state: SettledState, reason: string | null, at: Date, events: CustodyEvent[]): Promise<void>;
  /** Secured items without a settled media state, in id order after `afterId`: their work may never have been queued. */
  itemsAwaitingMedia(afterId: string | null, limit: number): Promise<Array<{ itemId: string; sha256: string }>>;
}
