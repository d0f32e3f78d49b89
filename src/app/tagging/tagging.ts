import type { TaggingConfig } from '../../config/tagging-schema.ts';
import { checkCategoryRows } from '../../domain/axis-recordings.ts';
import type { Checklist } from '../../domain/checklist.ts';
import { custodyEvent, type CustodyEvent } from '../../domain/custody.ts';
import {
  type ActivityWindow, applyManualTag, type Candidate, decideTags, type DeviceClaim, type ManualChange, matchTime, objectTags,
  type MatchResult, releasePins, sameTags, type TagState, untaggedState,
} from '../../domain/matching.ts';
import { parsersFor } from '../../domain/vendor-names.ts';
import type { Catalog } from '../../ports/catalog.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Act, Registry } from '../../ports/registry.ts';
import type { DeviceHints, TagEvent, TagStore } from '../../ports/tag-store.ts';
import { readDeviceHints } from './device-hints.ts';

/** The part of the tag store that tagging reads and writes. */
export type TaggingTagStore = Pick<TagStore, 'hints' | 'saveHints' | 'item' | 'tagHistory' | 'activitiesAround' | 'changeTags' | 'itemsOfOfficer' | 'itemsOfDevice' | 'itemsNamingBadge'>;

export interface TaggingDeps {
  tags: TaggingTagStore;
  registry: Pick<Registry, 'person' | 'device'>;
  catalog: Pick<Catalog, 'officerOnDevice'>;
  store: Pick<ObjectStore, 'setTags'>;
  checklist: Checklist;
  settings: TaggingConfig;
  clock: Clock;
  /** Extends an item's object lock to its checklist row's retention class (only ever extends). */
  keepLocks: (itemId: string, actor: string) => Promise<unknown>;
}

/** What one (re)tagging did. */
export interface TagOutcome {
  itemId: string;
  changed: boolean;
  state: TagState;
  candidates: Candidate[];
  notes: string[];
}

// Capture times the device names can be off from the item's by a time-zone offset: rematches look this far around.
const ZONE_SLACK_MS = 24 * 3_600_000;

/**
 * Tags recordings from the checklist, activities, the device register and what devices say, and keeps
 * them current: every change is a tag event (who, when, why, before, after), a custody event, and the S3
 * tags of the original.
 */
export class Tagging {
  constructor(private readonly deps: TaggingDeps) {
    checkCategoryRows(deps.settings.axisCategories, deps.checklist.rows.map((r) => r.id));
  }

  /** Called once an item is secured (and again on a retry): keeps what the device says, then matches. */
  async itemSecured(itemId: string, device: { serial: string; mountPath: string; relPath: string }, actor: string): Promise<TagOutcome> {
    const { tags, registry, settings, clock } = this.deps;
    if (!(await tags.hints(itemId))) {
      const model = (await registry.device(device.serial))?.model ?? null;
      const hints = await readDeviceHints(device.mountPath, device.relPath, parsersFor(model, settings), { deviceZone: settings.deviceTimeZone, categoryRows: settings.axisCategories });
      await tags.saveHints(itemId, hints, clock.now());
    }
    return this.retagItem(itemId, { actor, at: clock.now(), reason: 'secured' });
  }

  /** Runs matching again for one item (after its capture time, an activity or an assignment changed). */
  retagItem(itemId: string, act: Act): Promise<TagOutcome> {
    return this.retag(itemId, act, (s) => s);
  }

  /** A person's tag: the fields given are set and pinned (matching leaves them), with the reason. */
  tagManually(itemId: string, change: ManualChange, act: Act & { reason: string }): Promise<TagOutcome> {
    return this.retag(itemId, act, (s) => applyManualTag(s, change, this.deps.checklist));
  }

  /** Hands an item back to matching: a person's pins are dropped and matching runs again. */
  release(itemId: string, act: Act & { reason: string }): Promise<TagOutcome> {
    return this.retag(itemId, act, releasePins);
  }

  /** Retags the items that newly imported activities can concern: the officers' recordings around the windows. */
  async rematchForActivities(activities: Array<Pick<ActivityWindow, 'officerId' | 'startsAt' | 'endsAt'>>, act: Act): Promise<TagOutcome[]> {
    const margin = this.deps.settings.bufferMs + ZONE_SLACK_MS;
    const ids = new Set<string>();
    for (const a of activities) {
      const from = new Date(a.startsAt.getTime() - margin);
      const to = new Date(a.endsAt.getTime() + margin);
      for (const id of await this.deps.tags.itemsOfOfficer(a.officerId, from, to)) ids.add(id);
    }
    return this.retagAll([...ids], act);
  }

  /** Retags a device's recordings from a time on (its assignment or registration changed). */
  async rematchDevice(serial: string, from: Date, act: Act): Promise<TagOutcome[]> {
    const ids = await this.deps.tags.itemsOfDevice(serial, new Date(from.getTime() - ZONE_SLACK_MS));
    return this.retagAll(ids, act);
  }

  /** Retags the recordings whose device named this badge (the person was just put on record). */
  async rematchPerson(badge: string, act: Act): Promise<TagOutcome[]> {
    return this.retagAll(await this.deps.tags.itemsNamingBadge(badge), act);
  }

  private async retagAll(itemIds: string[], act: Act): Promise<TagOutcome[]> {
    const outcomes: TagOutcome[] = [];
    for (const id of itemIds) outcomes.push(await this.retagItem(id, act));
    return outcomes;
  }

  private async deviceClaim(hints: DeviceHints | null): Promise<DeviceClaim | null> {
    const says = hints?.says;
    if (!says) return null;
    const badgeKnown = says.badge !== null && (await this.deps.registry.person(says.badge)) !== null;
    return { badge: says.badge, badgeKnown, checklistRowId: says.checklistRowId, capturedAt: says.capturedAt };
  }

  private async retag(itemId: string, act: Act, adjust: (current: TagState) => TagState): Promise<TagOutcome> {
    const { tags, catalog, store, settings, checklist } = this.deps;
    const item = await tags.item(itemId);
    if (!item) throw new Error(`no evidence item ${itemId}; find ids with evidock query`);
    const device = await this.deviceClaim(await tags.hints(itemId));
    const time = matchTime(item.capturedAt, device);
    const assignedOfficer = await catalog.officerOnDevice(item.deviceSerial, time.at);
    const known = (await tags.tagHistory(itemId)).at(-1)?.current ?? null;
    const officers = new Set([assignedOfficer, device?.badge ?? null, known?.officerId ?? null].filter((o): o is string => !!o));
    const activities = await tags.activitiesAround([...officers], time.at, settings.bufferMs);

    // decide runs inside the item's lock, on the latest state; it leaves its result here.
    let decided: MatchResult | undefined;
    const change = await tags.changeTags(itemId, (latest) => {
      const previous = latest?.state ?? untaggedState;
      const result = decideTags({ at: time.at, assignedOfficer, device, activities, bufferMs: settings.bufferMs, checklist, previous: adjust(previous) });
      decided = result;
      if (latest !== null && sameTags(latest.state, result.state) && sameCandidates(latest.candidates, result.candidates)) return null;
      const event: TagEvent = {
        itemId, at: act.at, actor: act.actor, reason: act.reason ?? '', source: result.state.tagSource, previous, current: result.state, candidates: result.candidates,
      };
      return { event, custody: custodyOf(event, item.deviceSerial, latest === null, time, result.notes) };
    });
    const result = decided!;
    // Its checklist row may carry a longer retention class than the item is locked for. Not only on a change,
    // like the S3 tags below: matching again repairs what a failed request left (the lock only ever extends).
    if (result.state.checklistRow !== null) await this.deps.keepLocks(itemId, act.actor);
    // Always (not only on a change): a retry after a failed tagging request brings the object's tags up to date.
    await store.setTags(item.original, item.originalVersion, objectTags(result.state));
    return { itemId, changed: change !== null, state: result.state, candidates: result.candidates, notes: result.notes };
  }
}

const sameCandidates = (a: Candidate[], b: Candidate[]) =>
  a.length === b.length && a.every((c, i) => c.activityId === b[i]!.activityId);

/** An item's first tag event is `tagged`; later ones are `tag-changed`. */
function custodyOf(event: TagEvent, deviceSerial: string, first: boolean, time: { at: Date; source: string }, notes: string[]): CustodyEvent {
  return custodyEvent(first ? 'tagged' : 'tag-changed', event.at, event.actor, { itemId: event.itemId, deviceSerial }, {
    reason: event.reason, source: event.source, previous: event.previous, current: event.current,
    candidates: event.candidates, matchedAt: time.at.toISOString(), matchedAtSource: time.source, notes,
  });
}
