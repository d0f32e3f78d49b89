import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeUsbWatcher } from '../../src/adapters/usb-watcher.ts';
import { createLogger } from '../../src/log.ts';

const log = createLogger('silent');

describe('the usb adapter never takes the daemon down', () => {
  it('on a host without a USB bus it says so and does not load the package', async () => {
    const watcher = new NodeUsbWatcher(log, join(tmpdir(), 'no-such-usb-bus'));
    await expect(watcher.start(() => undefined)).resolves.toMatch(/no USB bus on this host/);
    await watcher.stop();
  });

  it('when the package fails underneath (here: /sys/bus/usb/devices missing), the failure is returned, not thrown', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const watcher = new NodeUsbWatcher(log, mkdtempSync(join(tmpdir(), 'fake-usb-bus-')));
      const outcome = await watcher.start(() => undefined);
      // On a host with USB this watches (null); here the package cannot list devices.
      if (outcome !== null) expect(outcome).toMatch(/USB events unavailable/);
      await watcher.stop();
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
