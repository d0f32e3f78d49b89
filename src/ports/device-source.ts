/** A device appearing in or leaving a dock: a folder today, USB and mounts behind the same port later. */
export type DeviceEvent =
  | { type: 'docked'; mountPath: string; volumeLabel: string | null }
  | { type: 'undocked'; mountPath: string };

export interface DeviceSource {
  /** Emits 'docked' for devices already present, then for each arrival, once it has settled. */
  start(onEvent: (event: DeviceEvent) => void): Promise<void>;
  stop(): Promise<void>;
}
