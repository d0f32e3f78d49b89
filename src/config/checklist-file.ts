import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Checklist, parseChecklist } from '../domain/checklist.ts';
import { ConfigError } from './load.ts';

/** The checklist shipped with evidock. */
export const shippedChecklist = join(import.meta.dirname, '../../config/checklist.json');

/** Reads and validates the recording checklist (`tagging.checklist`); a bad one stops the start, naming the file. */
export function loadChecklist(path: string | null): Checklist {
  const file = path === null ? shippedChecklist : resolve(path);
  try {
    return parseChecklist(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(`config key "tagging.checklist" (env EVIDOCK_TAGGING_CHECKLIST): the recording checklist ${file} is not usable: ${(error as Error).message}`);
  }
}
