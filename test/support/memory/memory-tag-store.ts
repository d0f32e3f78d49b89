import type { TaggingTagStore } from '../../../src/app/tagging/tagging.ts';
import type { CustodyEvent } from '../../../src/domain/custody.ts';
import type { ActivityWindow, Candidate, TagState } from '../../../src/domain/matching.ts';
import type { DeviceHints, TagChange, TagEvent, TaggableItem } from '../../../src/ports/tag-store.ts';

/**
 * The part of the tag store tagging uses, in memory: items, activities, hints kept from the first save,
 * tag events appended (current tags derived from the latest), custody events in `custody`.
 */
export class MemoryTagStore implements TaggingTagStore {
  readonly items = new Map<string, TaggableItem>();
  readonly activities: ActivityWindow[] = [];
  readonly events: TagEvent[] = [];
  readonly custody: CustodyEvent[] = [];
  private readonly savedHints = new Map<string, DeviceHints>();
  private readonly candidates = new Map<string, Candidate[]>();

  async saveHints(itemId: string, hints: DeviceHints, _at: Date): Promise<void> {
    if (!this.savedHints.has(itemId)) this.savedHints.set(itemId, structuredClone(hints));
  }

  async hints(itemId: string): Promise<DeviceHints | null> {
    const hints = this.savedHints.get(itemId);
    return hints ? structuredClone(hints) : null;
  }

  async item(itemId: string): Promise<TaggableItem | null> {
    return this.items.get(itemId) ?? null;
  }

  async activitiesAround(officerIds: string[], at: Date, marginMs: number): Promise<ActivityWindow[]> {
    return this.activities.filter((a) => officerIds.includes(a.officerId) && a.startsAt.getTime() - marginMs <= at.getTime() && at.getTime() <= a.endsAt.getTime() + marginMs);
  }

  async changeTags(itemId: string, decide: (latest: { state: TagState; candidates: Candidate[] } | null) => TagChange | null): Promise<TagChange | null> {
    const last = this.current(itemId);
    const change = decide(last ? { state: structuredClone(last.current), candidates: this.candidates.get(itemId) ?? [] } : null);
    if (!change) return null;
    this.events.push(structuredClone(change.event));
    this.candidates.set(itemId, change.event.candidates);
    this.custody.push(change.custody);
    return change;
  }

  private current(itemId: string): TagEvent | undefined {
    return this.events.filter((e) => e.itemId === itemId).at(-1);
  }

  async tagHistory(itemId: string): Promise<TagEvent[]> {
    return this.events.filter((e) => e.itemId === itemId).map((e) => structuredClone(e));
  }

  async itemsOfOfficer(officerId: string, from: Date, to: Date): Promise<string[]> {
    return [...this.items.values()]
      .filter((i) => this.current(i.id)?.current.officerId === officerId && i.capturedAt >= from && i.capturedAt <= to)
      .map((i) => i.id);
  }

  async itemsOfDevice(serial: string, from: Date): Promise<string[]> {
    return [...this.items.values()]
      .filter((i) => (i.deviceSerial === serial || this.savedHints.get(i.id)?.says?.deviceId === serial) && i.capturedAt >= from)
      .map((i) => i.id);
  }

  async itemsNamingBadge(badge: string): Promise<string[]> {
    return [...this.items.values()].filter((i) => this.savedHints.get(i.id)?.says?.badge === badge).map((i) => i.id);
  }
}
