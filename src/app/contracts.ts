import type { EvidenceItem } from '../domain/evidence.ts';
import type { SessionProgress } from '../ports/catalog.ts';

/**
 * The JSON shapes of `evidock query --json` and `evidock status --json` (documented in
 * docs/cli-json.md). Scripts rely on them: add fields, never rename or remove.
 */
export function itemJson(item: EvidenceItem) {
  return {
    id: item.id,
    sha256: item.sha256,
    size: item.size,
    kind: item.kind,
    deviceSerial: item.deviceSerial,
    originalPath: item.originalPath,
    officerId: item.officerId,
    caseId: item.caseId,
    category: item.category,
    phase: item.phase,
    capturedAt: item.capturedAt.toISOString(),
    capturedAtSource: item.capturedAtSource,
    securedAt: item.securedAt.toISOString(),
    status: item.status,
    sessionId: item.sessionId,
    objects: { original: item.objects.original, originalVersion: item.objects.originalVersion, manifest: item.objects.manifest },
  };
}

export function dockJson(s: SessionProgress) {
  return {
    sessionId: s.id,
    deviceSerial: s.deviceSerial,
    dockHost: s.dockHost,
    mountPath: s.mountPath,
    state: s.state,
    safeToUndock: s.state === 'secured',
    reason: s.reason,
    filesSecured: s.filesSecured,
    filesFailed: s.filesFailed,
    filesTotal: s.filesTotal,
    bytesSecured: s.bytesSecured,
    bytesTotal: s.bytesTotal,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
  };
}

export type DockJson = ReturnType<typeof dockJson>;
export type ItemJson = ReturnType<typeof itemJson>;
