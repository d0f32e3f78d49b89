import type { Person } from '../../domain/people.ts';
import type { ItemTags, TagEvent } from '../../ports/tag-store.ts';
import type { CaseReportData } from './case-report.ts';
import type { ImportResult } from './activity-import.ts';
import type { TagOutcome } from './tagging.ts';

/**
 * JSON shapes of the tagging commands (documented in docs/cli-json.md): add fields, never rename.
 * `itemTagsJson` adds to each item of `evidock query --json`.
 */
export function itemTagsJson(tags: ItemTags | undefined) {
  return {
    checklistRow: tags?.checklistRow ?? null,
    unit: tags?.unit ?? null,
    tagSource: tags?.tagSource ?? 'untagged',
    officerSource: tags?.officerSource ?? null,
    tagCandidates: tags?.candidates ?? [],
  };
}

export function personJson(p: Person) {
  return { id: p.id, name: p.name, unit: p.unit, role: p.role };
}

const tagFields = (s: TagEvent['current']) => ({
  caseId: s.caseId, category: s.category, phase: s.phase, checklistRow: s.checklistRow, unit: s.unit, tagSource: s.tagSource,
  officerId: s.officerId, officerSource: s.officerSource, pinned: s.pinned, officerPinned: s.officerPinned,
});

export function tagOutcomeJson(o: TagOutcome) {
  return { itemId: o.itemId, changed: o.changed, tags: tagFields(o.state), candidates: o.candidates, notes: o.notes };
}

export function tagEventJson(e: TagEvent) {
  return { at: e.at.toISOString(), actor: e.actor, reason: e.reason, source: e.source, previous: tagFields(e.previous), current: tagFields(e.current), candidates: e.candidates };
}

export function importJson(r: ImportResult) {
  return {
    importId: r.importId, rows: r.rows, activities: r.activities, added: r.added,
    retagged: r.retagged.length, changed: r.retagged.filter((o) => o.changed).map((o) => tagOutcomeJson(o)),
  };
}

export function caseReportJson({ report, activities, recordings, awaitingArchivist }: CaseReportData) {
  const recording = (id: string) => {
    const r = recordings.find((x) => x.id === id)!;
    return { id: r.id, kind: r.kind, officerId: r.officerId, capturedAt: r.capturedAt.toISOString(), tagSource: r.tagSource };
  };
  return {
    caseId: report.caseId,
    categories: report.categories,
    rows: report.rows.map(({ row, reached, recordings: ids, status }) => ({
      checklistRow: row.id, category: row.category, categoryLabel: row.categoryLabel, phase: row.phase, phaseLabel: row.phaseLabel,
      record: row.record, unit: row.unit, unitLabel: row.unitLabel, mandatory: row.mandatory, retentionClass: row.retentionClass,
      reached, status, recordings: ids.map(recording),
    })),
    missing: report.missing,
    unfiled: report.unfiled.map(recording),
    awaitingArchivist,
    activities: activities.map((a) => ({
      id: a.id, category: a.category, phase: a.phase, officerId: a.officerId, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), place: a.place,
    })),
  };
}
