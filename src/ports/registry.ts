import type { CustodyEvent } from '../domain/custody.ts';
import type { Person } from '../domain/people.ts';

/** A device as registered and/or seen at a dock, with the officer assigned to it now. */
export interface RegisteredDevice {
  serial: string;
  model: string | null;
  deviceType: string | null;
  custodianId: string | null;
  label: string | null;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  officerId: string | null;
  assignedSince: Date | null;
}

/** One row of a device's assignment history; `validTo` is where the next row starts. */
export interface Assignment {
  deviceSerial: string;
  officerId: string | null;
  validFrom: Date;
  validTo: Date | null;
  assignedBy: string;
  recordedAt: Date;
  reason: string | null;
}

/** Who did a change, when and why: every change to the register is recorded with these. */
export interface Act {
  actor: string;
  at: Date;
  reason: string | null;
}

/**
 * People and the device register (regulation A13, B6). Assignments are appended, never overwritten; every
 * change is written together with its custody event, in one transaction.
 */
export interface Registry {
  /** Adds a person, or updates name, unit and role of an existing one (the event is written only on a change). */
  savePerson(person: Person, custody: CustodyEvent): Promise<'added' | 'updated' | 'unchanged'>;
  people(): Promise<Person[]>;
  person(id: string): Promise<Person | null>;
  /** Registers a device not seen yet, or sets model, type and custodian of a known one (null keeps a value). */
  registerDevice(device: { serial: string; model: string | null; deviceType: string | null; custodianId: string | null }, custody: CustodyEvent): Promise<'added' | 'updated'>;
  devices(): Promise<RegisteredDevice[]>;
  device(serial: string): Promise<RegisteredDevice | null>;
  /** Appends an assignment (officer null: the device is with nobody from then on). */
  assign(serial: string, officerId: string | null, from: Date, act: Act, custody: CustodyEvent): Promise<void>;
  assignments(serial: string): Promise<Assignment[]>;
}
