import { describe, expect, it } from 'vitest';
import { udevRules } from '../../src/domain/udev-rules.ts';

const options = { user: 'evidock', group: 'evidock', mountRoot: '/media/evidock' };
const mountLines = (rules: string) => rules.split('\n').filter((line) => line.includes('systemd-mount'));

describe('udev rules from the recorder models', () => {
  it('mounts a model that is never wiped read-only, and one wiped after verification read-write', () => {
    const rules = udevRules([
      { name: 'Keeper', usb: ['2A3B:0101'], wipe: 'never' },
      { name: 'Wiper', usb: ['2a3b:0202', '2a3b:0203'], wipe: 'after-verified' },
    ], options);
    const [keeper, ...wiper] = mountLines(rules);
    expect(keeper).toContain('ENV{ID_VENDOR_ID}=="2a3b", ENV{ID_MODEL_ID}=="0101"');
    expect(keeper).toMatch(/--options=ro,/);
    expect(keeper).not.toMatch(/\brw\b/);
    expect(wiper).toHaveLength(2);
    for (const line of wiper) expect(line).toMatch(/--options=rw,/);
    expect(rules).toContain('ATTR{idVendor}=="2a3b", ATTR{idProduct}=="0101", GROUP="evidock"');
  });

  it('says so when no model lists USB ids, instead of printing an empty file', () => {
    expect(mountLines(udevRules([{ name: 'NoUsb', usb: [], wipe: 'never' }], options))).toEqual([]);
    expect(udevRules([], options)).toMatch(/nothing to mount/);
  });
});
