import type { UsbEvent } from '../domain/usb.ts';

/** USB attach/detach events of this host (the `usb` package in production, recorded events in tests). */
export interface UsbWatcher {
  /** Reports devices already attached as `attach`, then each change. Resolves with why it cannot watch, or null when it does. */
  start(onEvent: (event: UsbEvent) => void): Promise<string | null>;
  stop(): Promise<void>;
}
