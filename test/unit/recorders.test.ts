import { describe, expect, it } from 'vitest';
import { devicesSchema } from '../../src/config/devices-schema.ts';
import { admit, cluePaths, type DeviceClues, importantFiles, recognise } from '../../src/domain/recorders.ts';

const devices = devicesSchema.parse({
  models: [
    { name: 'Acme BWC-7', type: 'body-camera', usb: ['2a3b:0101'], labelPattern: '^BWC\\d+$', markerFiles: ['SYSTEM/ACME.INI'], wipe: 'after-verified',
      important: { namePattern: '_IMP\\.', sidecarExtensions: ['.lck'] } },
    { name: 'Voice 9', type: 'audio-recorder', markerFiles: ['VOICE', 'SYSTEM/V9.BIN'] },
  ],
});
const clues = (c: Partial<DeviceClues>): DeviceClues => ({ vidPid: null, volumeLabel: null, present: new Set(), hasIdFile: false, ...c });

describe('which storage is a recorder', () => {
  it('asks only for the marker files and layout folders the config names', () => {
    expect(cluePaths(devices)).toEqual(['SYSTEM/ACME.INI', 'VOICE', 'SYSTEM/V9.BIN', 'DCIM', 'PRIVATE/AVCHD', 'PRIVATE/M4ROOT', 'RECORDER', 'REC_FILE']);
  });

  it('matches a model by USB id first, then label, then all of its marker files', () => {
    expect(recognise(devices, clues({ vidPid: '2A3B:0101', volumeLabel: 'NO NAME' }))).toMatchObject({ kind: 'model', match: { by: 'usb', model: { name: 'Acme BWC-7' } } });
    expect(recognise(devices, clues({ volumeLabel: 'bwc0042' }))).toMatchObject({ kind: 'model', match: { by: 'label', model: { name: 'Acme BWC-7' } } });
    expect(recognise(devices, clues({ present: new Set(['VOICE', 'SYSTEM/V9.BIN']) }))).toMatchObject({ kind: 'model', match: { by: 'markers', model: { name: 'Voice 9' } } });
  });

  it('an id file or a camera/recorder layout makes unknown storage look like a recorder; a plain stick does not', () => {
    expect(recognise(devices, clues({ hasIdFile: true }))).toMatchObject({ kind: 'lookalike' });
    expect(recognise(devices, clues({ present: new Set(['VOICE']) }))).toMatchObject({ kind: 'lookalike', why: 'a VOICE folder at its root' });
    expect(recognise(devices, clues({ present: new Set(['DCIM']) }))).toMatchObject({ kind: 'lookalike' });
    expect(recognise(devices, clues({ vidPid: '0781:5567', volumeLabel: 'CRUZER' }))).toMatchObject({ kind: 'not-a-recorder' });
  });
});

describe('whether a device is ingested', () => {
  const model = recognise(devices, clues({ volumeLabel: 'BWC1' }));
  const lookalike = recognise(devices, clues({ hasIdFile: true }));
  const stick = recognise(devices, clues({}));
  const base = { registered: null, pendingPolicy: 'hold' as const, serial: 'X1' };

  it('a new device of a configured model is approved and ingested', () => {
    expect(admit({ ...base, via: 'mount', recognition: model })).toEqual({ action: 'ingest', register: 'approved' });
  });

  it('a new recorder of no configured model is registered pending and held, by default', () => {
    expect(admit({ ...base, via: 'mount', recognition: lookalike })).toEqual({
      action: 'hold', register: 'pending', reason: expect.stringContaining('evidock devices approve X1'),
    });
    expect(admit({ ...base, via: 'mount', recognition: lookalike, pendingPolicy: 'ingest' })).toEqual({ action: 'ingest', register: 'pending' });
  });

  it('the register wins for a known serial, both ways', () => {
    expect(admit({ ...base, via: 'mount', recognition: lookalike, registered: 'approved' })).toEqual({ action: 'ingest', register: 'approved' });
    expect(admit({ ...base, via: 'mount', recognition: model, registered: 'pending' })).toMatchObject({ action: 'hold', register: 'pending' });
  });

  it('mounted storage that is not a recorder is left alone; a dock folder is always ingested', () => {
    expect(admit({ ...base, via: 'mount', recognition: stick })).toMatchObject({ action: 'ignore' });
    expect(admit({ ...base, via: 'folder', recognition: stick })).toEqual({ action: 'ingest', register: 'approved' });
  });
});

describe('important files', () => {
  it('flags by name pattern or by a sidecar with the same stem, case-insensitively', () => {
    const rule = devices.models[0]!.important;
    const files = ['DCIM/100/FILE0001.MP4', 'DCIM/100/FILE0001.LCK', 'DCIM/100/FILE0002_IMP.MP4', 'DCIM/100/FILE0003.MP4', 'DCIM/101/FILE0003.lck', 'X.LCK'];
    expect([...importantFiles(files, rule)].sort()).toEqual(['DCIM/100/FILE0001.MP4', 'DCIM/100/FILE0002_IMP.MP4']);
    expect(importantFiles(files, devices.models[1]!.important).size).toBe(0);
  });
});
