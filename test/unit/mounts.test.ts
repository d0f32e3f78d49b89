import { describe, expect, it } from 'vitest';
import { deviceMounts, mountIdentity, parseMountInfo } from '../../src/domain/mounts.ts';

// Lines as this host prints them (exfat-fuse on a loop device, fusefat), plus a udisks-style kernel mount.
const MOUNTINFO = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
  '28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755',
  '42 27 7:0 / /media/BWC0001 rw,nosuid,nodev,relatime - fuseblk /dev/loop0 rw,user_id=0,group_id=0,default_permissions,allow_other,blksize=4096',
  '43 27 0:39 / /media/CAM\\040CARD rw,nosuid,nodev,relatime - fuse.fusefat fusefat rw,user_id=0,group_id=0',
  '44 27 8:17 / /run/media/officer/AUDIO ro,nosuid,nodev,relatime shared:200 - vfat /dev/sdb1 rw,fmask=0022',
  '45 27 8:33 / /media/a/b/c rw,relatime - vfat /dev/sdc1 rw',
  '46 27 0:50 / /media/tmp rw,relatime - tmpfs tmpfs rw',
  '',
].join('\n');

describe('mount table', () => {
  const entries = parseMountInfo(MOUNTINFO);

  it('parses mount point, type, source and read-only, unescaping spaces', () => {
    expect(entries.find((e) => e.mountPoint === '/media/CAM CARD')).toMatchObject({ mountId: 43, fsType: 'fuse.fusefat', source: 'fusefat', readOnly: false });
    expect(entries.find((e) => e.mountPoint === '/media/BWC0001')).toMatchObject({ device: '7:0', fsType: 'fuseblk', source: '/dev/loop0', readOnly: false });
    expect(entries.find((e) => e.mountPoint === '/run/media/officer/AUDIO')).toMatchObject({ readOnly: true, source: '/dev/sdb1' });
  });

  it('takes removable file systems one or two levels under a root, nothing else', () => {
    const fsTypes = ['vfat', 'exfat', 'fuseblk', 'fuse.fusefat'];
    const found = deviceMounts(entries, ['/media', '/run/media', '/mnt'], fsTypes).map((m) => m.mountPoint);
    expect(found).toEqual(['/media/BWC0001', '/media/CAM CARD', '/run/media/officer/AUDIO']);
  });

  it('a mount point mounted over by something else is no longer a device', () => {
    const over = parseMountInfo(`${MOUNTINFO}47 42 0:60 / /media/BWC0001 rw - tmpfs tmpfs rw\n`);
    expect(deviceMounts(over, ['/media/'], ['fuseblk']).map((m) => m.mountPoint)).toEqual([]);
  });
});

describe('mount identity over time', () => {
  const only = (line: string) => parseMountInfo(`${line}\n`)[0]!;
  const first = only('45 27 7:0 / /media/BWC0001 rw,relatime - fuseblk /dev/loop0 rw,user_id=0');

  it('the same line and volume read again is the same mount', () => {
    expect(mountIdentity(only('45 27 7:0 / /media/BWC0001 rw,relatime - fuseblk /dev/loop0 rw,user_id=0'), 'FFBF-CF82')).toBe(mountIdentity(first, 'FFBF-CF82'));
    // Options changing under a mount (remounted read-only) do not make it another device.
    expect(mountIdentity(only('45 27 7:0 / /media/BWC0001 ro,relatime - fuseblk /dev/loop0 ro,user_id=0'), null)).toBe(mountIdentity(first, null));
  });

  it('a reused mount id with another device number, source, place or type is another mount', () => {
    const reused = [
      '45 27 7:1 / /media/BWC0001 rw,relatime - fuseblk /dev/loop1 rw',
      '45 27 8:17 / /media/BWC0001 rw,relatime - exfat /dev/sdb1 rw',
      '45 27 7:0 / /media/BWC0002 rw,relatime - fuseblk /dev/loop0 rw',
      '45 27 0:52 / /media/BWC0001 rw,relatime - fuse.fusefat fusefat rw',
    ];
    for (const line of reused) expect(mountIdentity(only(line), 'FFBF-CF82'), line).not.toBe(mountIdentity(first, 'FFBF-CF82'));
  });

  it('an identical line over another volume (a loop device or slot reused at the same path) is another mount', () => {
    // Recorded on this host: two exFAT images mounted one after the other on /dev/loop0 at one path gave this same line.
    expect(mountIdentity(first, '7F1D-FF82')).not.toBe(mountIdentity(first, 'FFBF-CF82'));
  });
});
