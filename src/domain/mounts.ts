/** One line of /proc/self/mountinfo (see proc(5)), with the fields device detection uses. */
export interface MountEntry {
  /** Unique per mount: the same device mounted again at the same place gets a new one. */
  mountId: number;
  /** `major:minor` of the mounted file system (an anonymous `0:N` for FUSE); reused like the mount id. */
  device: string;
  mountPoint: string;
  fsType: string;
  /** The mounted device (`/dev/sdb1`), or whatever a FUSE file system puts there (`fusefat`). */
  source: string;
  readOnly: boolean;
}

/** Mount paths escape space, tab, newline and backslash as octal (`\040`). */
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    const mountOptions = fields[5]!.split(',');
    const superOptions = (fields[separator + 3] ?? '').split(',');
    entries.push({
      mountId: Number(fields[0]),
      device: fields[2]!,
      mountPoint: unescape(fields[4]!),
      fsType: fields[separator + 1]!,
      source: unescape(fields[separator + 2]!),
      readOnly: mountOptions.includes('ro') || superOptions.includes('ro'),
    });
  }
  return entries;
}

/**
 * What tells one mounting from another over time. The kernel reuses mount ids and anonymous device
 * numbers at once, and a loop device or USB slot at the same path gives an identical mountinfo line for a
 * different volume (seen: two exFAT images on /dev/loop0 at one path, same line, root inode 1, no birth
 * time), so the volume's own id (its UUID or serial) is part of it. Contents (mtime) are not: writing or
 * wiping files must not make a docked device look new.
 */
export function mountIdentity(entry: MountEntry, volumeId: string | null): string {
  return JSON.stringify([entry.mountId, entry.device, entry.source, entry.mountPoint, entry.fsType, volumeId]);
}

/**
 * The mounts that may be docked devices: removable-storage file systems mounted one or two levels
 * below a mount root (`/media/CARD`, `/media/<user>/CARD`, `/run/media/<user>/CARD`). The system disk,
 * tmpfs, overlays and anything deeper are never considered. A mount point mounted over twice counts once
 * (the last, which is what a path lookup reaches).
 */
export function deviceMounts(entries: MountEntry[], roots: string[], fsTypes: string[]): MountEntry[] {
  const trimmed = roots.map((r) => r.replace(/\/+$/, ''));
  const byPoint = new Map<string, MountEntry>();
  for (const entry of entries) {
    const depth = trimmed
      .filter((root) => entry.mountPoint.startsWith(`${root}/`))
      .map((root) => entry.mountPoint.slice(root.length + 1).split('/').length)
      .find((d) => d <= 2);
    if (depth !== undefined && fsTypes.includes(entry.fsType)) byPoint.set(entry.mountPoint, entry);
    else byPoint.delete(entry.mountPoint);
  }
  return [...byPoint.values()];
}
