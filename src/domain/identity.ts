/** Where a device's serial came from, in lookup order. */
export type SerialSource = 'id-file' | 'usb-serial' | 'volume-label' | 'folder-name';

export interface DeviceIdentity {
  serial: string;
  source: SerialSource;
}

export interface IdentityClues {
  /** First non-empty line of the first id file found at the device root. */
  idFileText: string | null;
  /** The serial the device reports over USB, when it is on USB. */
  usbSerial?: string | null;
  volumeLabel: string | null;
  folderName: string;
}

/** Serials end up in job ids and object keys: keep them to a safe alphabet. */
export function normalizeSerial(raw: string): string {
  return raw.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 128);
}

/**
 * The device's serial, from the most specific clue it carries: an id file written by the
 * recorder (or by an admin), then its USB serial, then the volume label, then the dock folder's name.
 */
export function resolveIdentity(clues: IdentityClues): DeviceIdentity {
  const candidates: Array<[string | null, SerialSource]> = [
    [clues.idFileText, 'id-file'],
    [clues.usbSerial ?? null, 'usb-serial'],
    [clues.volumeLabel, 'volume-label'],
    [clues.folderName, 'folder-name'],
  ];
  for (const [raw, source] of candidates) {
    const serial = raw === null ? '' : normalizeSerial(raw);
    if (serial) return { serial, source };
  }
  throw new Error(`device folder "${clues.folderName}" gives no usable serial: add an id file with the serial at its root`);
}
