import type { CustodyEvent } from '../../domain/custody.ts';
import type { EvidenceItem } from '../../domain/evidence.ts';
import type { MediaInfo } from '../../domain/media-info.ts';
import type { PlanKind } from '../../domain/media-plan.ts';
import type { MediaStage, SettledState, StageOutcome } from '../../domain/media-state.ts';
import type { Derivative, ItemMedia, MediaCatalog, ProbeRecord } from '../../ports/media-catalog.ts';

/**
 * The media tables in memory, over a shared map of evidence items (the probe may correct an item's
 * capture time). Custody events are appended to `events`, in order. Each method changes everything it
 * records at once, as the PostgreSQL adapter does in one transaction.
 */
export class MemoryMediaCatalog implements MediaCatalog {
  readonly events: CustodyEvent[] = [];
  private readonly probes = new Map<string, { plan: PlanKind; info: MediaInfo }>();
  private readonly derivatives = new Map<string, Map<string, Derivative>>();
  private readonly outcomes = new Map<string, Map<MediaStage, StageOutcome>>();
  private readonly states = new Map<string, { state: SettledState; reason: string | null }>();

  constructor(private readonly items: Map<string, EvidenceItem>) {}

  async mediaOf(itemIds: string[]): Promise<Map<string, ItemMedia>> {
    return new Map(itemIds.map((id) => {
      const probe = this.probes.get(id);
      const settled = this.states.get(id);
      const derivatives = [...(this.derivatives.get(id)?.values() ?? [])].sort((a, b) => a.role.localeCompare(b.role));
      return [id, { state: settled?.state ?? 'pending', reason: settled?.reason ?? null, plan: probe?.plan ?? null, info: probe ? structuredClone(probe.info) : null, derivatives }];
    }));
  }

  async probed(itemId: string): Promise<{ plan: PlanKind; info: MediaInfo; done: MediaStage[] } | null> {
    const probe = this.probes.get(itemId);
    if (!probe) return null;
    const done = [...(this.outcomes.get(itemId)?.values() ?? [])].filter((o) => o.outcome === 'done').map((o) => o.stage);
    return { plan: probe.plan, info: structuredClone(probe.info), done };
  }

  async recordProbe(record: ProbeRecord): Promise<void> {
    const item = this.items.get(record.itemId);
    if (!item) throw new Error(`recordProbe: no evidence item ${record.itemId}`);
    this.probes.set(record.itemId, { plan: record.plan, info: structuredClone(record.info) });
    if (record.capturedAt) this.items.set(item.id, { ...item, capturedAt: record.capturedAt.at, capturedAtSource: record.capturedAt.source });
    this.upsertOutcome(record.itemId, { stage: 'probe', outcome: 'done', reason: null });
    this.events.push(...record.events);
  }

  async recordDerivatives(itemId: string, stage: MediaStage, derivatives: Derivative[], events: CustodyEvent[]): Promise<void> {
    let byRole = this.derivatives.get(itemId);
    if (!byRole) this.derivatives.set(itemId, (byRole = new Map()));
    for (const d of derivatives) byRole.set(d.role, { ...d });
    this.upsertOutcome(itemId, { stage, outcome: 'done', reason: null });
    this.events.push(...events);
  }

  private upsertOutcome(itemId: string, outcome: StageOutcome): void {
    let byStage = this.outcomes.get(itemId);
    if (!byStage) this.outcomes.set(itemId, (byStage = new Map()));
    byStage.set(outcome.stage, { ...outcome });
  }

  async recordStageOutcome(itemId: string, outcome: StageOutcome, _at: Date): Promise<void> {
    this.upsertOutcome(itemId, outcome);
  }

  async stageOutcomes(itemId: string): Promise<StageOutcome[]> {
    return [...(this.outcomes.get(itemId)?.values() ?? [])].map((o) => ({ ...o }));
  }

  async setState(itemId: string, state: SettledState, reason: string | null, _at: Date, events: CustodyEvent[]): Promise<void> {
    this.states.set(itemId, { state, reason });
    this.events.push(...events);
  }

  async itemsAwaitingMedia(afterId: string | null, limit: number): Promise<Array<{ itemId: string; sha256: string }>> {
    return [...this.items.values()]
      .filter((i) => (afterId === null || i.id > afterId) && !this.states.has(i.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((i) => ({ itemId: i.id, sha256: i.sha256 }));
  }
}
