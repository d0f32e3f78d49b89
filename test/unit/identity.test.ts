import { describe, expect, it } from 'vitest';
import { normalizeSerial, resolveIdentity } from '../../src/domain/identity.ts';

describe('device identity', () => {
  it('prefers the id file, then the volume label, then the folder name', () => {
    expect(resolveIdentity({ idFileText: 'BWC-0042', volumeLabel: 'CAM', folderName: 'sdb1' })).toEqual({ serial: 'BWC-0042', source: 'id-file' });
    expect(resolveIdentity({ idFileText: null, volumeLabel: 'CAM_7', folderName: 'sdb1' })).toEqual({ serial: 'CAM_7', source: 'volume-label' });
    expect(resolveIdentity({ idFileText: '   ', volumeLabel: '', folderName: 'recorder 3' })).toEqual({ serial: 'recorder-3', source: 'folder-name' });
  });

  it('keeps serials to a safe alphabet for job ids and object keys', () => {
    expect(normalizeSerial('  执法仪:12/34  ')).toBe('12-34');
    expect(normalizeSerial('a:b')).not.toContain(':');
  });

  it('refuses a device with no usable clue, saying what to do', () => {
    expect(() => resolveIdentity({ idFileText: null, volumeLabel: null, folderName: '执法仪' })).toThrow(/add an id file/);
  });
});
