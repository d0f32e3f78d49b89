import { z } from 'zod';

/**
 * The recording checklist (regulation part C) as data: which category/phase pairs exist, what is recorded
 * in each, by which unit, whether recording is mandatory, and how long it is kept. It is the vocabulary
 * of tags: a category/phase pair not in it is refused everywhere.
 */
export const retentionClasses = ['standard', 'long', 'permanent'] as const;
export type RetentionClass = (typeof retentionClasses)[number];

const code = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case code like "administrative-penalty"');
const labels = z.record(code, z.string().min(1));

const checklistFile = z.strictObject({
  title: z.string().min(1),
  categories: labels,
  phases: labels,
  units: labels,
  /** English names of the same codes, for the web page in English (a code without one is shown as itself). */
  english: z.strictObject({ categories: labels, phases: labels, units: labels }).partial().optional(),
  rows: z.array(z.strictObject({
    id: code,
    category: code,
    phase: code,
    /** What to record, as the source writes it. */
    record: z.string().min(1),
    unit: code,
    mandatory: z.boolean(),
    retentionClass: z.enum(retentionClasses),
  })).min(1),
});

export interface ChecklistRow {
  id: string;
  category: string;
  categoryLabel: string;
  phase: string;
  phaseLabel: string;
  record: string;
  unit: string;
  unitLabel: string;
  mandatory: boolean;
  retentionClass: RetentionClass;
}

/** English names of categories, phases and units by code (possibly incomplete). */
export interface EnglishLabels {
  categories: Record<string, string>;
  phases: Record<string, string>;
  units: Record<string, string>;
}

export interface Checklist {
  title: string;
  rows: ChecklistRow[];
  english: EnglishLabels;
}

/** A category/phase pair (or row id) the checklist does not have. */
export class ChecklistError extends Error {
  override name = 'ChecklistError';
}

/** Validates the checklist file's content; every problem is named with where it is. */
export function parseChecklist(raw: unknown): Checklist {
  const parsed = checklistFile.safeParse(raw);
  if (!parsed.success) {
    throw new ChecklistError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const file = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  const pairs = new Set<string>();
  const rows = file.rows.map((r, index) => {
    const where = `rows[${index}] (${r.id})`;
    if (ids.has(r.id)) problems.push(`${where}: id used twice`);
    if (pairs.has(`${r.category}/${r.phase}`)) problems.push(`${where}: ${r.category}/${r.phase} is already another row`);
    ids.add(r.id);
    pairs.add(`${r.category}/${r.phase}`);
    const label = (kind: 'categories' | 'phases' | 'units', key: string) => {
      const value = file[kind][key];
      if (value === undefined) problems.push(`${where}: "${key}" is not in ${kind}`);
      return value ?? key;
    };
    return { ...r, categoryLabel: label('categories', r.category), phaseLabel: label('phases', r.phase), unitLabel: label('units', r.unit) };
  });
  if (problems.length > 0) throw new ChecklistError(problems.join('; '));
  const english = { categories: file.english?.categories ?? {}, phases: file.english?.phases ?? {}, units: file.english?.units ?? {} };
  return { title: file.title, rows, english };
}

/** "category/phase (labels)" for every row: what an error shows the user to choose from. */
export function validPairs(checklist: Checklist): string {
  return checklist.rows.map((r) => `${r.category}/${r.phase} (${r.categoryLabel}/${r.phaseLabel})`).join(', ');
}

export function findRow(checklist: Checklist, category: string, phase: string): ChecklistRow | null {
  return checklist.rows.find((r) => r.category === category && r.phase === phase) ?? null;
}

/** The row of a pair, or an error listing the valid pairs. */
export function rowFor(checklist: Checklist, category: string, phase: string): ChecklistRow {
  const row = findRow(checklist, category, phase);
  if (!row) throw new ChecklistError(`"${category}/${phase}" is not a category/phase pair of the recording checklist; valid pairs: ${validPairs(checklist)}`);
  return row;
}

export function rowById(checklist: Checklist, id: string): ChecklistRow | null {
  return checklist.rows.find((r) => r.id === id) ?? null;
}
