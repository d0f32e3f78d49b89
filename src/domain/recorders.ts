import { posix } from 'node:path';
import type { DeviceModel, DevicesConfig } from '../config/devices-schema.ts';

/**
 * Which storage is a recorder, which model it is, and whether it is ingested. Only recorders are
 * ingested: a device of a configured model (by USB id, volume label or marker files), or one that looks
 * like a recorder (an id file, or a camera/recorder folder layout). A plain USB stick is left alone.
 */

export interface DeviceClues {
  vidPid: string | null;
  volumeLabel: string | null;
  /** Which of the asked-for root paths (marker files, layout folders) exist on the device. */
  present: ReadonlySet<string>;
  hasIdFile: boolean;
}

export type ModelMatch = { model: DeviceModel; by: 'usb' | 'label' | 'markers' };

/** The paths at the device root whose presence the classification needs. */
export function cluePaths(devices: Pick<DevicesConfig, 'models' | 'recorderLayout'>): string[] {
  return [...new Set([...devices.models.flatMap((m) => m.markerFiles), ...devices.recorderLayout])];
}

/** USB id is the surest sign and wins over any other model's label or markers; then label, then markers, in config order. */
export function matchModel(models: DeviceModel[], clues: DeviceClues): ModelMatch | null {
  const vidPid = clues.vidPid?.toLowerCase();
  const byUsb = vidPid ? models.find((m) => m.usb.some((id) => id.toLowerCase() === vidPid)) : undefined;
  if (byUsb) return { model: byUsb, by: 'usb' };
  const label = clues.volumeLabel;
  const byLabel = label ? models.find((m) => m.labelPattern !== null && new RegExp(m.labelPattern, 'i').test(label)) : undefined;
  if (byLabel) return { model: byLabel, by: 'label' };
  const byMarkers = models.find((m) => m.markerFiles.length > 0 && m.markerFiles.every((f) => clues.present.has(f)));
  return byMarkers ? { model: byMarkers, by: 'markers' } : null;
}

export type Recognition =
  | { kind: 'model'; match: ModelMatch }
  | { kind: 'lookalike'; why: string }
  | { kind: 'not-a-recorder'; why: string };

export function recognise(devices: Pick<DevicesConfig, 'models' | 'recorderLayout'>, clues: DeviceClues): Recognition {
  const match = matchModel(devices.models, clues);
  if (match) return { kind: 'model', match };
  if (clues.hasIdFile) return { kind: 'lookalike', why: 'an id file at its root' };
  const layout = devices.recorderLayout.find((p) => clues.present.has(p));
  if (layout) return { kind: 'lookalike', why: `a ${layout} folder at its root` };
  return { kind: 'not-a-recorder', why: 'no configured model matches it and it has neither an id file nor a recorder folder layout' };
}

export type DeviceStatus = 'approved' | 'pending';

export type Admission =
  | { action: 'ingest'; register: DeviceStatus }
  | { action: 'hold'; register: DeviceStatus; reason: string }
  | { action: 'ignore'; reason: string };

/**
 * Whether a docked device is ingested. A dock folder is an admin's drop point: everything put there is
 * ingested. Mounted storage must be a recorder; a serial the register knows keeps its status, a new one of
 * a configured model is approved, any other new recorder is pending and, by policy, held or ingested.
 */
export function admit(input: {
  via: 'folder' | 'mount';
  recognition: Recognition;
  registered: DeviceStatus | null;
  pendingPolicy: DevicesConfig['pendingPolicy'];
  serial: string;
}): Admission {
  const { via, recognition, registered, pendingPolicy, serial } = input;
  if (via === 'mount' && recognition.kind === 'not-a-recorder') return { action: 'ignore', reason: recognition.why };
  const status: DeviceStatus = registered ?? (via === 'folder' || recognition.kind === 'model' ? 'approved' : 'pending');
  if (status === 'approved' || pendingPolicy === 'ingest') return { action: 'ingest', register: status };
  return { action: 'hold', register: status, reason: `device ${serial} is not approved yet: an admin approves it with "evidock devices approve ${serial}"` };
}

/**
 * Files the device marks important, secured first: by a name pattern on the file name, or by a sidecar
 * beside it with the same stem (`FILE0001.MP4` + `FILE0001.LCK`). Names compare case-insensitively, as
 * FAT and exFAT do.
 */
export function importantFiles(relPaths: string[], rule: DeviceModel['important']): Set<string> {
  const important = new Set<string>();
  const pattern = rule.namePattern ? new RegExp(rule.namePattern, 'i') : null;
  const all = new Set(relPaths.map((p) => p.toLowerCase()));
  const sidecars = rule.sidecarExtensions.map((e) => e.toLowerCase());
  for (const relPath of relPaths) {
    const ext = posix.extname(relPath);
    const stem = posix.join(posix.dirname(relPath), posix.basename(relPath, ext)).toLowerCase();
    if (pattern?.test(posix.basename(relPath)) || sidecars.some((s) => s !== ext.toLowerCase() && all.has(`${stem}${s}`))) {
      important.add(relPath);
    }
  }
  return important;
}
