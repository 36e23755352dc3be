import { randomUUID } from 'node:crypto';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import type { AlertRepository } from './alert.repository';
import type { Alert } from './alert.types';
import type { DeliveryBell } from './delivery-bell';

/** A raised pattern flag as alerts see it: ids, the rule in words, the records' references. */
export interface PatternFlagSubject extends SchoolScope {
  readonly flagId: string;
  readonly pupilId: string;
  readonly ruleText: string;
  readonly triggerIncidentId: string;
  readonly incidentIds: readonly string[];
  readonly references: readonly string[];
  readonly raisedAt: Date;
}

/**
 * The team's private cards for a pattern flag, through the outbox: one per active team member
 * (never one with a conflict of interest for the pupil), keyed by the record that fired the rule
 * and a wave derived from the flag's key, so asking again for the same flag queues nothing new
 * and two flags fired by one record stay apart. Delivery (retries, rate limits, undeliverable
 * notices) is the outbox's; there is no escalation ladder: the concern's own alert has one, and the
 * flag stays on the desk until the team reviews it.
 */
export class PatternAlerts {
  constructor(
    private readonly outbox: Pick<AlertRepository, 'insertMissing'>,
    private readonly bell: Pick<DeliveryBell, 'ring'>,
    private readonly team: { listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> },
    private readonly clock: { now(): Date },
  ) {}

  async queueForFlag(flag: PatternFlagSubject): Promise<number> {
    const team = await this.team.listSafeguardingTeam(flag);
    const now = this.clock.now();
    const index = flag.incidentIds.indexOf(flag.triggerIncidentId);
    const reference = flag.references[index] ?? flag.references.at(-1) ?? '';
    const alerts: Alert[] = team
      .filter((m) => m.active && !m.conflictPupilIds.includes(flag.pupilId))
      .map((m) => ({
        alertId: randomUUID(),
        tenantId: flag.tenantId,
        schoolId: flag.schoolId,
        kind: 'pattern',
        incidentId: flag.triggerIncidentId,
        reference,
        recipientAadObjectId: m.aadObjectId,
        reason: 'pattern-rule',
        wave: waveOf(flag.flagId),
        recordedBy: { aadObjectId: 'system:pattern-rules', displayName: 'Pattern rules' },
        categoryNames: [],
        recordedAt: flag.raisedAt,
        createdAt: now,
        pattern: {
          flagId: flag.flagId,
          ruleText: flag.ruleText,
          recordCount: flag.incidentIds.length,
        },
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
      }));
    if (alerts.length === 0) return 0;
    const queued = await this.outbox.insertMissing(alerts);
    if (queued > 0) this.bell.ring();
    return queued;
  }
}

/** A stable 31-bit number from the flag's key (FNV-1a): the alert's wave, part of its unique key. */
function waveOf(flagId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < flagId.length; i++) {
    hash ^= flagId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 1;
}
