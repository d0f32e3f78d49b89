/**
 * Copy requests (regulation B8): a party may ask for a copy of recordings; it is given only with the
 * agency head's approval, and never of what must stay confidential. Status follows from appended events.
 */
export type CopyAction = 'approved' | 'refused' | 'packaged';
export type CopyStatus = 'pending' | 'approved' | 'refused' | 'packaged';

export interface CopyEvent {
  action: CopyAction;
  at: Date;
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
}

export function copyStatus(events: Pick<CopyEvent, 'action'>[]): CopyStatus {
  return events.at(-1)?.action ?? 'pending';
}

const allowed: Record<CopyAction, CopyStatus[]> = {
  approved: ['pending'],
  refused: ['pending'],
  // An approved request can be packaged again (a new link when the first expired).
  packaged: ['approved', 'packaged'],
};

/** Throws a clear error when `action` cannot follow `status`. */
export function checkCopyTransition(status: CopyStatus, action: CopyAction): void {
  if (allowed[action].includes(status)) return;
  const verb = { approved: 'approve', refused: 'refuse', packaged: 'export' }[action];
  const need = action === 'packaged' ? 'it must be approved by the head first' : 'only a pending request is decided';
  throw new Error(`cannot ${verb} a request that is ${status}: ${need}`);
}
