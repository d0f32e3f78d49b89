import { type Role, roles } from './people.ts';

/**
 * Who may do what through the HTTP API (regulation A3, A10, B8, B9): the role × action table, and how far
 * each role may read into confidential recordings. Data, so the docs and a test can walk all of it.
 */

/** Confidentiality of a recording (regulation B9): privacy/trade secrets are `restricted`, state secrets `confidential`. */
export const levels = ['normal', 'restricted', 'confidential'] as const;
export type Level = (typeof levels)[number];

export function checkLevel(raw: string): Level {
  if ((levels as readonly string[]).includes(raw)) return raw as Level;
  throw new Error(`"${raw}" is not a confidentiality level; use one of: ${levels.join(', ')}`);
}

/** `evidence`: the action reads or changes evidence, so every attempt (refused ones too) is an audit event. */
export const actions = {
  'items:search': { evidence: true, what: 'search recordings' },
  'items:read': { evidence: true, what: "read a recording's detail: manifest, tags and their history" },
  'items:play': { evidence: true, what: 'play the proxy, see thumbnails' },
  'items:download': { evidence: true, what: 'download an original (with a reason)' },
  'items:tag': { evidence: true, what: "change a recording's tags" },
  'items:classify': { evidence: true, what: "change a recording's confidentiality level" },
  'trail:read': { evidence: true, what: "read a recording's or a person's custody trail" },
  'people:read': { evidence: false, what: 'list people (the public register, A13)' },
  'people:write': { evidence: false, what: 'add or change people' },
  'people:confirm': { evidence: false, what: 'confirm a role that approves, exports or administers, proposed by someone else' },
  'people:disable': { evidence: false, what: 'disable or enable a person (their sessions and tokens stop at once)' },
  'devices:read': { evidence: false, what: 'list devices and their assignments' },
  'devices:write': { evidence: false, what: 'register and assign devices' },
  'activities:read': { evidence: false, what: 'list enforcement activities' },
  'activities:write': { evidence: true, what: 'import enforcement activities (retags recordings)' },
  'cases:read': { evidence: true, what: "read a case: its recordings' checklist report, closure" },
  'cases:close': { evidence: true, what: 'close a case with its end date' },
  'case-files:read': { evidence: true, what: 'list case files, their status and deadline' },
  'case-files:create': { evidence: true, what: "freeze a case's recordings into a case file" },
  'case-files:archive': { evidence: true, what: 'archive (close) a case file; lifts its legal holds' },
  'copies:read': { evidence: true, what: 'list copy requests' },
  'copies:create': { evidence: true, what: 'create a copy request for a party' },
  'copies:decide': { evidence: true, what: 'approve or refuse a copy request' },
  'copies:export': { evidence: true, what: 'build the export package of an approved request and get its link' },
  'audit:read': { evidence: true, what: 'read the audit log' },
  'admin:queues': { evidence: false, what: 'the queue dashboard' },
  'admin:metrics': { evidence: false, what: 'metrics and readiness' },
  'alerts:read': { evidence: false, what: 'read alerts (deadline breaches, stalled queues)' },
  'integrity:verify': { evidence: true, what: "check stored recordings against their hashes (evidock verify)" },
  'system:maintain': { evidence: false, what: 'rebuild the catalog from the manifests (evidock reindex)' },
} as const satisfies Record<string, { evidence: boolean; what: string }>;
export type Action = keyof typeof actions;

const all = roles;
const evidenceReaders = ['officer', 'auxiliary', 'archivist', 'supervisor', 'head', 'auditor'] as const;

/**
 * Auxiliary staff do clerical work (search, tag, data entry, copy requests) but no act with legal effect
 * (A3): never approve, file or close a case file, download or export. Only the head approves copies (B8).
 */
export const permissionTable: Record<Action, readonly Role[]> = {
  'items:search': evidenceReaders,
  'items:read': evidenceReaders,
  'items:play': ['officer', 'auxiliary', 'archivist', 'supervisor', 'head'],
  'items:download': ['archivist', 'supervisor', 'head'],
  'items:tag': ['officer', 'auxiliary', 'archivist', 'supervisor'],
  'items:classify': ['archivist', 'supervisor', 'head'],
  'trail:read': ['archivist', 'supervisor', 'head', 'auditor'],
  'people:read': all,
  'people:write': ['admin'],
  // The second person of a privileged grant (separation of duties): the head, or another admin.
  'people:confirm': ['head', 'admin'],
  'people:disable': ['head', 'admin'],
  'devices:read': all,
  'devices:write': ['supervisor', 'admin'],
  'activities:read': evidenceReaders,
  'activities:write': ['auxiliary', 'archivist', 'supervisor'],
  'cases:read': evidenceReaders,
  'cases:close': ['supervisor', 'head'],
  'case-files:read': ['auxiliary', 'archivist', 'supervisor', 'head', 'auditor'],
  'case-files:create': ['archivist', 'supervisor'],
  'case-files:archive': ['archivist', 'supervisor', 'head'],
  'copies:read': ['auxiliary', 'archivist', 'supervisor', 'head', 'auditor'],
  'copies:create': ['officer', 'auxiliary', 'archivist', 'supervisor', 'head'],
  'copies:decide': ['head'],
  'copies:export': ['archivist', 'supervisor', 'head'],
  'audit:read': ['head', 'auditor'],
  'admin:queues': ['admin'],
  'admin:metrics': ['admin', 'auditor'],
  'alerts:read': ['admin', 'supervisor', 'head', 'auditor'],
  'integrity:verify': ['admin', 'auditor'],
  'system:maintain': ['admin'],
};

/** The highest confidentiality level each role may read. Admins run the system and read no evidence. */
export const clearance: Record<Role, Level> = {
  officer: 'normal',
  auxiliary: 'normal',
  archivist: 'restricted',
  supervisor: 'confidential',
  head: 'confidential',
  admin: 'normal',
  auditor: 'confidential',
};

export function can(role: Role, action: Action): boolean {
  return permissionTable[action].includes(role);
}

/** The levels a role may read, lowest first. */
export function visibleLevels(role: Role): Level[] {
  return levels.slice(0, levels.indexOf(clearance[role]) + 1);
}

export function canSee(role: Role, level: Level): boolean {
  return levels.indexOf(level) <= levels.indexOf(clearance[role]);
}

/** Every action a role may take, for the web page (which buttons to show). */
export function actionsOf(role: Role): Action[] {
  return (Object.keys(permissionTable) as Action[]).filter((a) => can(role, a));
}
