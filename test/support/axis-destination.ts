import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a folder as an Axis content destination stores recordings, built from the public spec of
 * Axis's body-worn integration API (github.com/AxisCommunications/body-worn-integration-api, v1.6.10):
 * - container per recording `<UserUUID>_<BWCSerialNumber>_<TriggerOnTime>`, TriggerOnTime as
 *   YYYYMMDDTHHMMSSZ in UTC: README.md lines 213-214 and 231-235;
 * - clips `<StartTime>_<RecordingID>.<mkv|mp4>`, drawn as `<date>_<time>_<id>.mkv`: README.md 216, 254, 295;
 * - bookmarks `bookmark_<Timestamp>_<ID>`, content the officer's note, category keys only there:
 *   README.md 318-330 and 497-499;
 * - container metadata keys (BWCSerialNumber, UserID = the UUID, TriggerOnTimeISO, StartTimeISO, Status
 *   Transferring|Complete): README.md 268-291; clip metadata StartTimeISO: README.md 299-300;
 * - the user object `Users/<UserUUID>` with the optional UserID (StoreUserIDKey): README.md 409-415, 531-533;
 * - metadata key casing: header keys lowercased but for the first letter and letters after a hyphen
 *   (README.md 264), so `X-Container-Meta-BWCSerialNumber` is stored as `Bwcserialnumber`;
 * - on disk, the example destination's flat files `<container>/<container>.metadata.json`,
 *   `<container>/<container>.<object>.metadata.json`, `Users/Users.<userid>.metadata.json` and the
 *   zero-byte `complete` file once Status is Complete: EXAMPLE.md lines 161-165, 170-195 and 197-221.
 */

export interface AxisRecording {
  userUuid: string;
  /** The officer's own ID, stored on the user object only with StoreUserIDKey; absent: none. */
  userId?: string;
  serial: string;
  triggerOn: Date;
  clips: Array<{ start: Date; recordingId: string; bytes: number | Buffer; ext?: 'mkv' | 'mp4' }>;
  bookmarks?: Array<{ at: Date; id: string; note: string; categoryId?: string; categoryName?: string }>;
  status: 'Transferring' | 'Complete';
}

const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const clipTime = (d: Date) => compact(d).replace('T', '_').replace('Z', '');
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}/, '');
const json = (meta: Record<string, string>) => JSON.stringify(meta, null, 0);

export const containerName = (r: AxisRecording) => `${r.userUuid}_${r.serial}_${compact(r.triggerOn)}`;
export const clipName = (clip: AxisRecording['clips'][number]) => `${clipTime(clip.start)}_${clip.recordingId}.${clip.ext ?? 'mkv'}`;

/** Writes the recordings (and their users) under `root`; returns each clip's path relative to `root`. */
export function writeAxisDestination(root: string, recordings: AxisRecording[]): string[] {
  const clips: string[] = [];
  mkdirSync(join(root, 'Users'), { recursive: true });
  for (const r of recordings) {
    const user: Record<string, string> = { Active: 'True', Name: `Officer ${r.userUuid.slice(0, 4)}` };
    if (r.userId) user.Userid = r.userId;
    writeFileSync(join(root, 'Users', r.userUuid), '');
    writeFileSync(join(root, 'Users', `Users.${r.userUuid}.metadata.json`), json(user));

    const container = containerName(r);
    const dir = join(root, container);
    mkdirSync(dir, { recursive: true });
    const first = r.clips[0]?.start ?? r.triggerOn;
    writeFileSync(join(dir, `${container}.metadata.json`), json({
      Containername: container, Bwcserialnumber: r.serial, Userid: r.userUuid, Triggeron: 'Button',
      Triggerontime: String(Math.floor(r.triggerOn.getTime() / 1000)), Triggerontimeiso: iso(r.triggerOn),
      Starttime: String(Math.floor(first.getTime() / 1000)), Starttimeiso: iso(first), Timezone: 'Asia/Shanghai', Status: r.status,
    }));
    for (const clip of r.clips) {
      const name = clipName(clip);
      writeFileSync(join(dir, name), typeof clip.bytes === 'number' ? Buffer.alloc(clip.bytes, 7) : clip.bytes);
      writeFileSync(join(dir, `${container}.${name}.metadata.json`), json({ Starttime: String(Math.floor(clip.start.getTime() / 1000)), Starttimeiso: iso(clip.start), Containertype: clip.ext ?? 'mkv' }));
      clips.push(`${container}/${name}`);
    }
    for (const b of r.bookmarks ?? []) {
      const name = `bookmark_${Math.floor(b.at.getTime() / 1000)}_${b.id}`;
      writeFileSync(join(dir, name), b.note);
      const meta: Record<string, string> = { Starttime: iso(b.at) };
      if (b.categoryId) Object.assign(meta, { Categoryid: b.categoryId, Categoryname: b.categoryName ?? b.categoryId });
      writeFileSync(join(dir, `${container}.${name}.metadata.json`), json(meta));
    }
    if (r.status === 'Complete') writeFileSync(join(dir, 'complete'), '');
  }
  return clips;
}
