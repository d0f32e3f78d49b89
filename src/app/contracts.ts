import type { EvidenceItem } from '../domain/evidence.ts';
import type { SessionProgress } from '../ports/catalog.ts';
import type { BayInfo } from '../ports/docks.ts';

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

/**
 * A dock with its bay (docs/cli-json.md): the fields of `dockJson` plus where and what the device is,
 * its approval, its place in the queue, the secure rate, its clock and the wipe.
 */
export function bayJson(s: SessionProgress, bay: BayInfo | null, now: Date) {
  const seconds = ((s.endedAt ?? now).getTime() - s.startedAt.getTime()) / 1000;
  return {
    ...dockJson(s),
    bay: bay?.bay ?? s.mountPath,
    via: bay?.via ?? 'folder',
    model: bay?.model ?? null,
    deviceType: bay?.deviceType ?? null,
    deviceStatus: bay?.deviceStatus ?? null,
    usb: bay?.usb ?? null,
    readOnly: bay?.readOnly ?? false,
    queuePosition: bay?.queuePosition ?? null,
    bytesPerSecond: s.bytesSecured > 0 && seconds > 0 ? Math.round(s.bytesSecured / seconds) : null,
    clockDriftMs: bay?.clock.driftMs ?? null,
    clockDriftSource: bay?.clock.source ?? null,
    clockDriftFlagged: bay?.clock.flagged ?? false,
    wipe: {
      policy: bay?.wipePolicy ?? 'never',
      state: bay?.wipeState ?? null,
      filesDeleted: bay?.filesWiped ?? 0,
      reason: bay?.wipeReason ?? null,
    },
  };
}

export type DockJson = ReturnType<typeof dockJson>;
export type BayJson = ReturnType<typeof bayJson>;
export type ItemJson = ReturnType<typeof itemJson>;
