import type { SchoolScope } from '../shared/school-scope';
import { hashAuditEvent } from './audit-hash';
import type { AuditEvent } from './audit.types';

/** What is wrong with a chain, at the first event where it shows. */
type ChainProblem =
  | { kind: 'altered'; sequence: number; detail: string }
  | { kind: 'removed'; sequence: number; detail: string }
  | { kind: 'inserted'; sequence: number; detail: string };

export interface ChainReport extends SchoolScope {
  readonly events: number;
  readonly headHash: string;
  readonly problem?: ChainProblem;
}

/**
 * Walks one school's events in sequence order and reports the first that breaks the chain:
 * - altered: its stored hash is not the hash of its contents;
 * - removed: a sequence number is missing;
 * - inserted: a sequence number appears twice, or an event's previous hash is not its
 *   predecessor's hash (someone slotted in an event and renumbered what followed).
 */
export async function verifyAuditChain(
  scope: SchoolScope,
  events: AsyncIterable<AuditEvent>,
): Promise<ChainReport> {
  let expected = 1;
  let previousHash = '';
  let count = 0;
  const report = (problem?: ChainProblem): ChainReport => ({
    ...scope,
    events: count,
    headHash: previousHash,
    ...(problem ? { problem } : {}),
  });
  for await (const event of events) {
    count += 1;
    if (event.sequence < expected) {
      return report({
        kind: 'inserted',
        sequence: event.sequence,
        detail: `a second event numbered ${event.sequence}`,
      });
    }
    if (event.sequence > expected) {
      return report({
        kind: 'removed',
        sequence: expected,
        detail: `events ${expected}..${event.sequence - 1} are missing`,
      });
    }
    const { hash, ...rest } = event;
    if (hashAuditEvent(rest) !== hash) {
      return report({
        kind: 'altered',
        sequence: event.sequence,
        detail: 'its contents do not match its hash',
      });
    }
    if (event.previousHash !== previousHash) {
      return report({
        kind: 'inserted',
        sequence: event.sequence,
        detail: 'its previous hash is not the hash of the event before it',
      });
    }
    previousHash = hash;
    expected += 1;
  }
  return report();
}
