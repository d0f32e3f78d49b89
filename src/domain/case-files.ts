/**
 * Case files (案卷, regulation B8): within 30 days of the end of an enforcement act, its recordings form
 * a case file. A case is closed with its end date; its case file is due 30 days later.
 */
export const CASE_FILE_DAYS = 30;

export type CaseFileStatus = 'due' | 'overdue' | 'filed' | 'filed-late' | 'archived';

export function caseFileDue(caseEndedAt: Date): Date {
  return new Date(caseEndedAt.getTime() + CASE_FILE_DAYS * 86_400_000);
}

/** Where a closed case's file stands at `now`: not filed yet (due or overdue), filed (in time or late), archived. */
export function caseFileStatus(dueAt: Date, file: { filedAt: Date; archivedAt: Date | null } | null, now: Date): CaseFileStatus {
  if (!file) return now.getTime() > dueAt.getTime() ? 'overdue' : 'due';
  if (file.archivedAt) return 'archived';
  return file.filedAt.getTime() > dueAt.getTime() ? 'filed-late' : 'filed';
}

/** One recording as a case file freezes it: enough to find and check every byte later. */
export interface CaseFileEntry {
  id: string;
  sha256: string;
  size: number;
  kind: string;
  capturedAt: string;
  officerId: string | null;
  category: string | null;
  phase: string | null;
  checklistRow: string | null;
  original: { key: string; versionId: string | null };
  manifest: { key: string; versionId: string | null; sha256: string };
}

/** The case-file manifest written (locked) into MinIO. */
export function caseFileManifest(file: { id: string; caseId: string; caseEndedAt: Date; dueAt: Date; filedAt: Date; filedBy: string }, entries: CaseFileEntry[]) {
  return {
    caseFileVersion: 1,
    id: file.id,
    caseId: file.caseId,
    caseEndedAt: file.caseEndedAt.toISOString(),
    dueAt: file.dueAt.toISOString(),
    filedAt: file.filedAt.toISOString(),
    filedBy: file.filedBy,
    itemCount: entries.length,
    items: [...entries].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id)),
  };
}

export function caseFileKey(caseFileId: string): string {
  return `case-files/${caseFileId}/manifest.json`;
}
