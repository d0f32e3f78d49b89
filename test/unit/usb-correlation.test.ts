import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockDeviceFacts } from '../../src/adapters/block-devices.ts';
import { UsbDockingSource } from '../../src/app/dock/usb-docking.ts';
import { devicesSchema } from '../../src/config/devices-schema.ts';
import { portPathOf, portPathInSysPath, serialInById, type UsbEvent, usbOfBlockDevice } from '../../src/domain/usb.ts';
import { createLogger } from '../../src/log.ts';
import type { DeviceEvent, DeviceSource } from '../../src/ports/device-source.ts';
import type { UsbWatcher } from '../../src/ports/usb-watcher.ts';

const fixtures = join(import.meta.dirname, '../fixtures');
const sysRoot = join(fixtures, 'sysfs-dock');
const recorded = (JSON.parse(readFileSync(join(fixtures, 'usb-events.json'), 'utf8')) as { events: UsbEvent[] }).events;
const attaches = recorded.filter((e): e is UsbEvent & { type: 'attach' } => e.type === 'attach');

describe('USB ↔ block device ↔ bay, on a captured sysfs tree', () => {
  it('reads the USB device a partition sits on from sysfs, with its port path as the bay', async () => {
    const facts = await blockDeviceFacts('sdb1', sysRoot);
    expect(facts).toEqual({
      name: 'sdb1',
      sysPath: '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2.3/1-2.3:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1',
      byId: ['usb-Acme_Body_Worn_Camera_BWC0042A-0:0-part1'],
      usb: { vidPid: '2a3b:0101', serial: 'BWC0042A', portPath: '1-2.3', product: 'Body Worn Camera' },
    });
  });

  it('takes the serial from by-id when the USB device reports none; a loop device is on no USB device', async () => {
    const recorder = await blockDeviceFacts('sdd', sysRoot);
    expect(usbOfBlockDevice(recorder!, [])).toEqual({ vidPid: '2a3b:0202', serial: 'AR77001', portPath: '1-4', product: 'Audio Recorder' });
    const loop = await blockDeviceFacts('loop0', sysRoot);
    expect(loop).toMatchObject({ sysPath: '/sys/devices/virtual/block/loop0', byId: [], usb: null });
    expect(usbOfBlockDevice(loop!, attaches)).toBeNull();
    expect(await blockDeviceFacts('sdz9', sysRoot)).toBeNull();
  });

  it('without readable attributes, an attached device matches by port path or by its serial in by-id', async () => {
    const facts = { ...(await blockDeviceFacts('sdc1', sysRoot))!, usb: null };
    expect(usbOfBlockDevice(facts, attaches)).toEqual({ vidPid: '0781:5567', serial: '4C530001230714105443', portPath: '2-1', product: 'Cruzer Blade' });
    const elsewhere = { ...facts, sysPath: '/sys/devices/virtual/block/sdc1' };
    expect(usbOfBlockDevice(elsewhere, attaches)?.portPath).toBe('2-1');
    expect(usbOfBlockDevice({ ...elsewhere, byId: [] }, attaches)).toBeNull();
  });

  it('names port paths as sysfs does', () => {
    expect(portPathOf(1, [2, 3])).toBe('1-2.3');
    expect(portPathOf('003', [1])).toBe('3-1');
    expect(portPathOf('1-2.3', [2, 3])).toBe('1-2.3');
    expect(portPathInSysPath('/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2.3/1-2.3:1.0/host6')).toBe('1-2.3');
    expect(serialInById('usb-Generic_Mass-Storage_000000000819-0:0-part1')).toBe('000000000819');
    expect(serialInById('ata-Samsung_SSD_870_S5Y1NF0R-part1')).toBeNull();
  });
});

describe('USB events joined with mounts (recorded events through the same interface)', () => {
  class FakeMounts implements DeviceSource {
    emit: (e: DeviceEvent) => void = () => undefined;
    async start(onEvent: (e: DeviceEvent) => void) {
      this.emit = onEvent;
    }
    async stop() {}
  }
  class RecordedUsb implements UsbWatcher {
    emit: (e: UsbEvent) => void = () => undefined;
    constructor(private readonly off: string | null = null) {}
    async start(onEvent: (e: UsbEvent) => void) {
      this.emit = onEvent;
      return this.off;
    }
    async stop() {}
  }
  const models = devicesSchema.parse({ models: [{ name: 'Acme BWC-7', type: 'body-camera', usb: ['2a3b:0101'] }] }).models;
  const log = createLogger('silent');

  it('a mount on the body camera gets its bay and USB identity; pulling it undocks that mount only', async () => {
    const mounts = new FakeMounts();
    const usb = new RecordedUsb();
    const seen: DeviceEvent[] = [];
    await new UsbDockingSource(mounts, usb, models, log).start((e) => seen.push(e));
    for (const e of recorded.slice(0, 4)) usb.emit(e);
    mounts.emit({ type: 'docked', via: 'mount', mountPath: '/media/BWC', volumeLabel: 'BWC', block: await blockDeviceFacts('sdb1', sysRoot) });
    mounts.emit({ type: 'docked', via: 'mount', mountPath: '/media/LOOP', volumeLabel: null, block: await blockDeviceFacts('loop0', sysRoot) });
    mounts.emit({ type: 'docked', via: 'mount', mountPath: '/media/FUSE', volumeLabel: null, block: null });
    usb.emit(recorded[4]!);
    expect(seen).toMatchObject([
      { type: 'docked', mountPath: '/media/BWC', bay: '1-2.3', usb: { vidPid: '2a3b:0101', serial: 'BWC0042A' } },
      { type: 'docked', mountPath: '/media/LOOP', bay: '/media/LOOP', usb: null },
      { type: 'docked', mountPath: '/media/FUSE', bay: '/media/FUSE', usb: null },
      { type: 'undocked', mountPath: '/media/BWC', reason: 'USB device detached from bay 1-2.3' },
    ]);
    expect(seen).toHaveLength(4);
  });

  it('without USB events, mounts still dock', async () => {
    const mounts = new FakeMounts();
    const seen: DeviceEvent[] = [];
    await new UsbDockingSource(mounts, new RecordedUsb('no USB bus on this host'), models, log).start((e) => seen.push(e));
    mounts.emit({ type: 'docked', via: 'mount', mountPath: '/media/BWC', volumeLabel: 'BWC', block: await blockDeviceFacts('sdb1', sysRoot) });
    mounts.emit({ type: 'undocked', mountPath: '/media/BWC', reason: 'unmounted' });
    expect(seen).toMatchObject([{ type: 'docked', bay: '1-2.3' }, { type: 'undocked', reason: 'unmounted' }]);
  });
});
