import { z } from 'zod';
import type { EvidenceItem } from './evidence.ts';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');

/** The manifest `buildManifest` writes (version 1): what reindex trusts to rebuild an item. */
const manifestV1 = z.object({
  manifestVersion: z.literal(1),
  id: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  kind: z.enum(['video', 'photo', 'audio']),
  device: z.object({ serial: z.string().min(1), originalPath: z.string().min(1), mtime: iso }),
  officerId: z.string().nullable(),
  capturedAt: iso,
  capturedAtSource: z.enum(['container', 'exif', 'mtime']),
  securedAt: iso,
  securedBy: z.string().min(1),
  sessionId: z.string().min(1),
  objects: z.object({ original: z.string().min(1), originalVersion: z.string().nullable() }),
  tags: z.object({ caseId: z.string().nullable(), category: z.string().nullable(), phase: z.string().nullable() }),
});

export interface RestoredItem {
  item: EvidenceItem;
  mediaMtime: Date;
  securedBy: string;
}

/** An item back from its manifest (at `manifestKey`), or an error naming what the manifest lacks. */
export function itemFromManifest(raw: unknown, manifestKey: string): RestoredItem {
  const parsed = manifestV1.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${manifestKey} is not an evidock manifest: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const m = parsed.data;
  return {
    item: {
      id: m.id, sha256: m.sha256, size: m.size, kind: m.kind, deviceSerial: m.device.serial, originalPath: m.device.originalPath,
      officerId: m.officerId, caseId: m.tags.caseId, category: m.tags.category, phase: m.tags.phase,
      capturedAt: new Date(m.capturedAt), capturedAtSource: m.capturedAtSource as EvidenceItem['capturedAtSource'], securedAt: new Date(m.securedAt), status: 'secured',
      sessionId: m.sessionId, objects: { original: m.objects.original, originalVersion: m.objects.originalVersion, manifest: manifestKey },
    },
    mediaMtime: new Date(m.device.mtime),
    securedBy: m.securedBy,
  };
}
