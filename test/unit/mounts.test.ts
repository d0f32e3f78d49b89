import { describe, expect, it } from 'vitest';
import { deviceMounts, parseMountInfo } from '../../src/domain/mounts.ts';

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
    expect(entries.find((e) => e.mountPoint === '/media/BWC0001')).toMatchObject({ fsType: 'fuseblk', source: '/dev/loop0', readOnly: false });
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
