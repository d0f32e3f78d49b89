import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { custodyEvent, type CustodyEvent, type CustodyEventType } from '../../domain/custody.ts';
import { PermanentError } from '../../domain/errors.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { MediaJobPayload } from '../../domain/jobs.ts';
import type { MediaInfo } from '../../domain/media-info.ts';
import { type DerivativeRole, derivativeFile, derivativeKey, type PlanKind, runTimeoutMs } from '../../domain/media-plan.ts';
import type { MediaStage } from '../../domain/media-state.ts';
import type { JobContext, Processor } from '../../ports/jobs.ts';
import type { Derivative } from '../../ports/media-catalog.ts';
import type { RunControl } from '../../ports/media-tools.ts';
import type { MediaDeps } from './ports.ts';
import { hashingTee } from '../hashing.ts';
import { WorkFiles } from './work-files.ts';

/** A derivative made in a scratch folder, checked, waiting to be stored. */
export interface Made {
  role: DerivativeRole;
  path: string;
  facts: Pick<Derivative, 'width' | 'height' | 'durationSec'>;
}

/** What a making stage's work gets: the probed item, its local original, a scratch folder, ffmpeg's controls. */
export interface Making {
  plan: PlanKind;
  info: MediaInfo;
  original: string;
  dir: string;
  control: RunControl & { signal: AbortSignal };
}

/** What every media stage shares: the item loader, local files, custody events, progress, storing a derivative. */
export function stageKit(deps: MediaDeps) {
  const { catalog, store, clock, config } = deps;
  const work = new WorkFiles(store, resolve(config.dataDir, config.media.workDir ?? 'media'));

  const event = (type: CustodyEventType, item: EvidenceItem, details: Record<string, unknown>): CustodyEvent =>
    custodyEvent(type, clock.now(), config.dockHost, { itemId: item.id, deviceSerial: item.deviceSerial, filePath: item.originalPath }, details);

  const kit = {
    work,
    event,

    async item(p: MediaJobPayload): Promise<EvidenceItem> {
      const item = await catalog.findItemBySha256(p.sha256);
      if (!item || item.id !== p.itemId) throw new PermanentError(`no secured item ${p.itemId} with sha256 ${p.sha256}`, 'unknown-item');
      return item;
    },

    /** The probe's findings; the flow is only queued after they were recorded. */
    async probed(item: EvidenceItem): Promise<{ plan: PlanKind; info: MediaInfo; done: Set<MediaStage> }> {
      const probed = await deps.media.catalog.probed(item.id);
      if (!probed) throw new PermanentError(`item ${item.id} was not probed`, 'not-probed');
      return { ...probed, done: new Set(probed.done) };
    },

    /** Reports ffmpeg's progress on the job (and in the log) as it goes. */
    progress(ctx: JobContext, stage: MediaStage, item: EvidenceItem) {
      return (done: { seconds: number; percent: number | null }) => {
        deps.log.debug({ stage, itemId: item.id, ...done }, 'media progress');
        ctx.progress({ stage, ...done }).catch((err: unknown) => deps.log.warn({ err, itemId: item.id }, 'job progress not saved'));
      };
    },

    /**
     * Uploads a checked derivative under the item (hashing it on the way), never over the original:
     * derivative keys live in their own folder.
     */
    async store(item: EvidenceItem, plan: PlanKind, role: DerivativeRole, path: string, facts: Pick<Derivative, 'width' | 'height' | 'durationSec'>, signal: AbortSignal): Promise<Derivative> {
      const { name, contentType } = derivativeFile(plan, role);
      const key = derivativeKey(item.id, name);
      const tee = hashingTee(createReadStream(path));
      const stored = await store.put(key, tee.stream, { contentType, metadata: { 'evidence-id': item.id, 'derived-from': item.sha256, role }, signal });
      const { sha256, size } = await tee.digest;
      return { role, key, versionId: stored.versionId, contentType, size, sha256, ...facts, madeAt: clock.now() };
    },

    exists: async (path: string) => (await stat(path).catch(() => null)) !== null,

    storedEvents(item: EvidenceItem, derivatives: Derivative[]): CustodyEvent[] {
      return derivatives.map((d) => event('derivative-stored', item, { role: d.role, key: d.key, versionId: d.versionId, sha256: d.sha256, size: d.size, from: item.sha256 }));
    },

    /**
     * A stage that makes derivatives: skipped when its outcome is recorded; otherwise `make` works in a
     * scratch folder, and only what it returned (made and checked) is stored and then recorded.
     */
    makingStage<N extends 'media-transcode' | 'media-thumbnails'>(name: N, make: (m: Making) => Promise<Made[]>): Processor<N> {
      const stage = name === 'media-transcode' ? 'transcode' : 'thumbnails';
      return async (p: MediaJobPayload, ctx: JobContext) => {
        const item = await kit.item(p);
        const { plan, info, done } = await kit.probed(item);
        if (done.has(stage)) return { outcome: 'already-made' };
        const original = await work.original(item, ctx.signal);
        const control = { timeoutMs: runTimeoutMs(info.durationSec, config.media), signal: ctx.signal, onProgress: kit.progress(ctx, stage, item) };
        return work.scratch(`${stage}-${item.id}`, async (dir) => {
          const made = await make({ plan, info, original, dir, control });
          const derivatives: Derivative[] = [];
          for (const m of made) derivatives.push(await kit.store(item, plan, m.role, m.path, m.facts, ctx.signal));
          await deps.media.catalog.recordDerivatives(item.id, stage, derivatives, kit.storedEvents(item, derivatives));
          return { outcome: 'made', plan, derivatives: derivatives.map((d) => d.key) };
        });
      };
    },
  };
  return kit;
}

export type StageKit = ReturnType<typeof stageKit>;
