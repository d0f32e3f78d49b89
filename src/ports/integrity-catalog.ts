import type { EvidenceItem } from '../domain/evidence.ts';

/** What verify needs of the catalog: items in pages or a random sample, and each manifest's recorded version. */
export interface VerifySubjects {
  count(): Promise<{ items: number; bytes: number }>;
  /** Items after `afterId` in id order, at most `limit`. */
  page(afterId: string, limit: number): Promise<EvidenceItem[]>;
  sample(n: number): Promise<EvidenceItem[]>;
  /** The manifest version recorded in the log when it was written (or found by reindex); null when none is. */
  manifestVersion(itemId: string): Promise<string | null>;
}
