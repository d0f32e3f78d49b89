import { extname } from 'node:path';
import type { MediaKind } from '../config/schema.ts';

/** `exif`: a photo's DateTimeOriginal, found by the media probe after securing. */
export type CapturedAtSource = 'container' | 'exif' | 'mtime';
export type ItemStatus = 'secured';

/** One recording as the catalog keeps it. Tag fields are null until tagging knows them. */
export interface EvidenceItem {
  id: string;
  sha256: string;
  size: number;
  kind: MediaKind;
  deviceSerial: string;
  originalPath: string;
  officerId: string | null;
  caseId: string | null;
  category: string | null;
  phase: string | null;
  capturedAt: Date;
  capturedAtSource: CapturedAtSource;
  securedAt: Date;
  status: ItemStatus;
  sessionId: string;
  objects: { original: string; originalVersion: string | null; manifest: string };
}

/** Object keys of an item: everything it has lives under `items/<id>/`. */
export function itemKeys(itemId: string, originalPath: string): { original: string; manifest: string } {
  const ext = extname(originalPath).toLowerCase().replace(/[^.a-z0-9]/g, '');
  return { original: `items/${itemId}/original${ext}`, manifest: `items/${itemId}/manifest.json` };
}

/** S3 user metadata on the original, readable by any S3 tool. ASCII only: it travels in HTTP headers. */
export function originalMetadata(item: Pick<EvidenceItem, 'sha256' | 'deviceSerial' | 'capturedAt' | 'id'>): Record<string, string> {
  return {
    'evidence-id': item.id,
    sha256: item.sha256,
    device: item.deviceSerial,
    'captured-at': item.capturedAt.toISOString(),
  };
}

/** The JSON manifest written beside the original when it is secured: enough to rebuild the catalog. */
export function buildManifest(item: EvidenceItem, dockHost: string, mediaMtime: Date) {
  return {
    manifestVersion: 1,
    id: item.id,
    sha256: item.sha256,
    size: item.size,
    kind: item.kind,
    device: { serial: item.deviceSerial, originalPath: item.originalPath, mtime: mediaMtime.toISOString() },
    officerId: item.officerId,
    capturedAt: item.capturedAt.toISOString(),
    capturedAtSource: item.capturedAtSource,
    securedAt: item.securedAt.toISOString(),
    securedBy: dockHost,
    sessionId: item.sessionId,
    objects: { original: item.objects.original, originalVersion: item.objects.originalVersion },
    tags: { caseId: item.caseId, category: item.category, phase: item.phase },
  };
}
