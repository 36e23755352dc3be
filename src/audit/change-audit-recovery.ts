import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { AuditEventInput, AuditTrail } from './audit.types';

/** An event found for a target: enough to tell which change it was the event of. */
interface FoundEvent {
  readonly targetId: string;
  readonly actorAadObjectId: string;
  readonly reason?: string;
}

/** Finds a school's events of one action about some targets (AuditRepository provides it). */
export interface EventFinder {
  eventsFor(
    scope: SchoolScope,
    action: AuditEventInput['action'],
    targetIds: readonly string[],
  ): Promise<FoundEvent[]>;
}

/** A durable change (an amendment, an action, an acknowledgement) and the event it must have. */
export interface ChangeToAudit {
  /** When the change was stored: younger than a minute, its write may still be in flight. */
  readonly at: Date;
  /** The event, as the change's service writes it. */
  readonly event: AuditEventInput;
  /** Whether an event found about the same target is this change's (same actor, version…). */
  readonly isItsEvent: (found: FoundEvent) => boolean;
}

/** Where a feature's changes are read from, a batch at a time. */
export interface AuditedChanges {
  /** Changes stored since an instant, across schools (start-up). */
  since(since: Date): AsyncIterable<readonly ChangeToAudit[]>;
  /** Every change of one school (audit:verify's completeness count). */
  ofSchool(scope: SchoolScope): AsyncIterable<readonly ChangeToAudit[]>;
}

/** What a recovered event says after the change's own reason: the event is late, and why. */
export const CHANGE_RECOVERED_REASON =
  'recovered: the change was stored, its event was not (a crash)';

// A change younger than this may belong to a request still between its write and its event (on
// another instance, or a stalled store): adding one then would make two.
const IN_FLIGHT_GRACE_MS = 60_000;

/**
 * A change is stored, then its audit event appended: two writes with no transaction between them
 * (the store has none), so a crash in between leaves a change nobody audited. This finds such
 * changes and appends the missing event as the service would have written it, marked recovered,
 * dated when found (the chain's order is the truth; the change keeps its own time). Run at
 * start-up over the last week, and when the same operation is retried and finds its change.
 */
export class ChangeAuditRecovery {
  constructor(
    private readonly events: EventFinder,
    private readonly trail: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** Appends the missing events of these changes (those older than a minute); returns how many. */
  async recover(changes: readonly ChangeToAudit[]): Promise<number> {
    const settled = this.clock.now().getTime() - IN_FLIGHT_GRACE_MS;
    const missing = await this.unaudited(changes.filter((c) => c.at.getTime() <= settled));
    for (const change of missing) {
      const reason = change.event.reason
        ? `${change.event.reason}; ${CHANGE_RECOVERED_REASON}`
        : CHANGE_RECOVERED_REASON;
      await this.trail.record({ ...change.event, reason });
    }
    return missing.length;
  }

  /** The same for every change stored since an instant, in each source. */
  async recoverSince(sources: readonly AuditedChanges[], since: Date): Promise<number> {
    let recovered = 0;
    for (const source of sources) {
      for await (const batch of source.since(since)) recovered += await this.recover(batch);
    }
    return recovered;
  }

  private unaudited(changes: readonly ChangeToAudit[]): Promise<ChangeToAudit[]> {
    return unauditedOf(this.events, changes);
  }
}

/** How many of a school's changes in a source have no event, whatever their age (verify). */
export async function countUnaudited(
  events: EventFinder,
  source: AuditedChanges,
  scope: SchoolScope,
): Promise<number> {
  let count = 0;
  for await (const batch of source.ofSchool(scope)) {
    count += (await unauditedOf(events, batch)).length;
  }
  return count;
}

/** The changes with no event of their own. */
async function unauditedOf(
  events: EventFinder,
  changes: readonly ChangeToAudit[],
): Promise<ChangeToAudit[]> {
  const missing: ChangeToAudit[] = [];
  for (const group of groupsOf(changes)) {
    const [first] = group;
    if (!first) continue;
    const found = await events.eventsFor(
      first.event,
      first.event.action,
      group.map((c) => c.event.target.id),
    );
    for (const change of group) {
      const its = found.some((f) => f.targetId === change.event.target.id && change.isItsEvent(f));
      if (!its) missing.push(change);
    }
  }
  return missing;
}

/** Changes grouped by school and event action: one lookup each. */
function groupsOf(changes: readonly ChangeToAudit[]): ChangeToAudit[][] {
  const groups = new Map<string, ChangeToAudit[]>();
  for (const change of changes) {
    const { tenantId, schoolId, action } = change.event;
    const key = `${tenantId}|${schoolId}|${action}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  return [...groups.values()];
}

/** Reads a cursor of documents in batches, mapped to changes (the sources' shared walk). */
export async function* inBatches<D>(
  cursor: AsyncIterable<D>,
  toChange: (doc: D) => ChangeToAudit,
  size = 500,
): AsyncGenerator<ChangeToAudit[]> {
  let batch: ChangeToAudit[] = [];
  for await (const doc of cursor) {
    batch.push(toChange(doc));
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
