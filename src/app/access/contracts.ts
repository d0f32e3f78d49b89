import type { Assignment, RegisteredDevice } from '../../ports/registry.ts';

/** A registered device in `evidock devices list --json` (contract: docs/cli-json.md) and the API. */
export function deviceJson(d: RegisteredDevice) {
  return {
    serial: d.serial,
    model: d.model,
    type: d.deviceType,
    custodianId: d.custodianId,
    label: d.label,
    firstSeenAt: d.firstSeenAt?.toISOString() ?? null,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    officerId: d.officerId,
    assignedSince: d.assignedSince?.toISOString() ?? null,
  };
}

/** A device's assignment to an officer, in `evidock devices show --json` and the API. */
export function assignmentJson(a: Assignment) {
  return {
    officerId: a.officerId,
    from: a.validFrom.toISOString(),
    to: a.validTo?.toISOString() ?? null,
    assignedBy: a.assignedBy,
    recordedAt: a.recordedAt.toISOString(),
    reason: a.reason,
  };
}
