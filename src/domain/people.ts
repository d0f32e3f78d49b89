/** Roles of people (regulation A3, A13): sworn officers, auxiliary staff, and those who keep, approve and audit. */
export const roles = ['officer', 'auxiliary', 'archivist', 'supervisor', 'head', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

/** A person on record; the id is the badge number. */
export interface Person {
  id: string;
  name: string;
  unit: string | null;
  role: Role;
}

/** Badges are matched against file names and CAD exports: letters, digits, "-", "." only. */
export function checkBadge(raw: string): string {
  const badge = raw.trim();
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(badge)) {
    throw new Error(`"${raw}" is not a badge number: use letters, digits, "-" or "." (at most 64)`);
  }
  return badge;
}

export function checkRole(raw: string): Role {
  if ((roles as readonly string[]).includes(raw)) return raw as Role;
  throw new Error(`"${raw}" is not a role; use one of: ${roles.join(', ')}`);
}
