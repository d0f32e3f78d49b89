import { extname } from 'node:path';
import type { Config, MediaKind } from '../config/schema.ts';

/** Which kind of media a file is, by extension (case-insensitive); null for anything else. */
export function mediaKindOf(path: string, media: Config['dock']['media']): MediaKind | null {
  const ext = extname(path).toLowerCase();
  if (!ext) return null;
  for (const kind of ['video', 'photo', 'audio'] as const) {
    if (media[kind].includes(ext)) return kind;
  }
  return null;
}
