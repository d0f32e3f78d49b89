import type { Checklist } from '../../domain/checklist.ts';
import { type CaseReport, caseReport } from '../../domain/compliance.ts';
import type { ActivityWindow } from '../../domain/matching.ts';
import type { CaseItem, TagStore } from '../../ports/tag-store.ts';

export interface CaseReportData {
  report: CaseReport;
  activities: ActivityWindow[];
  recordings: CaseItem[];
  /** Untagged recordings whose matching listed this case among its candidates: an archivist decides. */
  awaitingArchivist: string[];
}

/** Loads what a case's compliance report needs and checks it against the checklist. */
export async function buildCaseReport(deps: { tags: Pick<TagStore, 'activitiesOfCase' | 'itemsOfCase' | 'itemsWithCandidateCase'>; checklist: Checklist }, caseId: string): Promise<CaseReportData> {
  const [activities, recordings, awaitingArchivist] = await Promise.all([
    deps.tags.activitiesOfCase(caseId), deps.tags.itemsOfCase(caseId), deps.tags.itemsWithCandidateCase(caseId),
  ]);
  if (activities.length === 0 && recordings.length === 0 && awaitingArchivist.length === 0) {
    throw new Error(`no case "${caseId}": no activity or recording names it (import its activities with evidock import activities)`);
  }
  return { report: caseReport(caseId, deps.checklist, activities, recordings), activities, recordings, awaitingArchivist };
}
