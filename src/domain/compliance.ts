import type { Checklist, ChecklistRow } from './checklist.ts';
import type { ActivityWindow } from './matching.ts';

/**
 * A case checked against the recording checklist (regulation part C): for the case's category, each row,
 * whether the case went through its phase, the recordings filed under it, and the mandatory rows that
 * have none.
 */
export interface FiledRecording {
  id: string;
  category: string | null;
  phase: string | null;
  checklistRow: string | null;
}

export type RowStatus = 'recorded' | 'missing' | 'not-reached' | 'none';

export interface ReportRow {
  row: ChecklistRow;
  /** The case went through this phase: an activity of the case is in it, or a recording is filed under it. */
  reached: boolean;
  recordings: string[];
  /** `missing`: mandatory, reached, no recording; `none`: not mandatory, reached, no recording. */
  status: RowStatus;
}

export interface CaseReport {
  caseId: string;
  categories: string[];
  rows: ReportRow[];
  /** Mandatory rows the case went through without a recording. */
  missing: string[];
  /** Recordings of the case whose category and phase are not set. */
  unfiled: string[];
}

export function caseReport(caseId: string, checklist: Checklist, activities: ActivityWindow[], recordings: FiledRecording[]): CaseReport {
  const categories = [...new Set([...activities.map((a) => a.category), ...recordings.flatMap((r) => (r.category ? [r.category] : []))])];
  const rows = checklist.rows
    .filter((row) => categories.includes(row.category))
    .map((row): ReportRow => {
      const filed = recordings.filter((r) => r.checklistRow === row.id).map((r) => r.id);
      const reached = filed.length > 0 || activities.some((a) => a.category === row.category && a.phase === row.phase);
      const status: RowStatus = filed.length > 0 ? 'recorded' : !reached ? 'not-reached' : row.mandatory ? 'missing' : 'none';
      return { row, reached, recordings: filed, status };
    });
  return {
    caseId,
    categories,
    rows,
    missing: rows.filter((r) => r.status === 'missing').map((r) => r.row.id),
    unfiled: recordings.filter((r) => r.checklistRow === null).map((r) => r.id),
  };
}
