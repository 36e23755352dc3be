import { createHash, randomUUID } from 'node:crypto';
import type { StaffRole } from '../staff';
import type { CaseManagerRoute } from './adult-concern.types';

/** Whom a route's first alert goes to; the escalation ladder adds the others. */
export const FIRST_WAVE_ROLES: Readonly<Record<CaseManagerRoute, readonly StaffRole[]>> = {
  head: ['head'],
  chair: ['chair-of-governors'],
};

/**
 * The same adult, the same key: their directory id, or a hash of the name as written (folded), so
 * pattern review can group concerns without a name in clear.
 */
export function subjectKeyOf(aadObjectId: string | undefined, name: string): string {
  if (aadObjectId) return `staff:${aadObjectId}`;
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
  return `name:${createHash('sha256').update(folded.trim()).digest('hex').slice(0, 32)}`;
}

/** A reference the case manager can say aloud: AC-2026-7K3QF (no sequence to guess the count). */
export function newReference(now: Date): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = randomUUID().replace(/-/g, '');
  let code = '';
  for (let i = 0; i < 5; i += 1) code += alphabet[parseInt(bytes.slice(i * 2, i * 2 + 2), 16) % 32];
  return `AC-${now.getUTCFullYear()}-${code}`;
}
