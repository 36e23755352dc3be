import { createHash } from 'node:crypto';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { IncidentHeader } from '../incidents';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam } from '../staff';
import { evaluateRecord, reachOf, type StatusAtRecording } from './pattern-evaluation';
import type { PatternRepository } from './pattern.repository';
import { DEFAULT_PATTERN_RULES, patternRulesSchema } from './pattern-rules';
import type { PatternFlag, PatternRecord, PatternRule } from './pattern.types';

/** Who raises flags in the audit trail: the rules, not a person. */
const PATTERN_RULES_ACTOR = 'system:pattern-rules';
/** How many of a pupil's records around one concern the rules read at most. */
const MOST_AROUND = 500;

/** Where the rules read records, statuses, and where a raised flag's cards are queued. */
export interface PatternSources {
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<IncidentHeader | undefined>;
    listForPupilBetween(
      scope: SchoolScope,
      pupilId: string,
      from: Date,
      to: Date,
      limit: number,
    ): Promise<IncidentHeader[]>;
    listRecordedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
  };
  /** A pupil's status changes, newest first (pupil-status/). */
  readonly statuses: {
    history(
      scope: SchoolScope,
      pupilId: string,
      limit: number,
    ): Promise<{ changedAt: Date; status: StatusAtRecording }[]>;
  };
  /** alerts/: the team's private cards for a flag, once per flag however often asked. */
  readonly cards: { queueForFlag(flag: PatternFlag): Promise<number> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * Pattern rules: each recorded concern is evaluated against the school's rules; a rule that fires
 * raises one flag per pupil, rule and window (the flag's unique key), whose private cards go to
 * the team through the outbox. The team sees open flags on the desk until one of them reviews it.
 */
export class PatternService {
  constructor(
    private readonly store: PatternRepository,
    private readonly sources: PatternSources,
  ) {}

  /** The school's rules: its own when it set them, the defaults otherwise. */
  async rulesFor(scope: SchoolScope): Promise<readonly PatternRule[]> {
    const stored = await this.store.rulesOf(scope);
    if (stored === undefined) return DEFAULT_PATTERN_RULES;
    const parsed = patternRulesSchema.safeParse(stored);
    // Checked on the way in; a document that fails now was changed outside the app.
    if (!parsed.success) throw new AppError('PATTERN.INVALID_RULES', 'stored rules are invalid');
    return parsed.data;
  }

  /** The school's rules as the team or an admin reads them to change them. */
  async readRules(actor: AccessActor, requestId?: string): Promise<readonly PatternRule[]> {
    await this.mayConfigure(actor, requestId);
    return this.rulesFor(actor);
  }

  /** Sets the school's rules (the team or an admin); every problem comes back in words. */
  async setRules(actor: AccessActor, raw: unknown, requestId?: string): Promise<PatternRule[]> {
    await this.mayConfigure(actor, requestId);
    const parsed = patternRulesSchema.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => (typeof i.path[0] === 'number' ? `Rule ${i.path[0] + 1}: ` : '') + i.message)
        .join(' ');
      throw new AppError('PATTERN.INVALID_RULES', message);
    }
    const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
    await this.store.saveRules(actor, parsed.data, by, this.sources.clock.now());
    await this.sources.audit.record(
      auditEvent(
        actor,
        'pattern.rules-change',
        { kind: 'school', id: actor.schoolId },
        { requestId },
      ),
    );
    return parsed.data;
  }

  /**
   * Evaluates a stored record against the school's rules: raises what fires (once per key),
   * queues the flag's cards (the stored flag's, so a repeat queues the same cards), then notes the
   * record as evaluated. Idempotent; returns the flags the record fired, new or already raised.
   */
  async evaluate(scope: SchoolScope, incidentId: string): Promise<PatternFlag[]> {
    const { records, clock } = this.sources;
    const record = await records.findById(scope, incidentId);
    if (!record) return [];
    const rules = await this.rulesFor(scope);
    const reach = Math.max(
      0,
      ...rules.filter((r) => r.kind !== 'concern-with-status').map(reachOf),
    );
    const at = record.happenedAt.getTime();
    const around =
      reach > 0
        ? await records.listForPupilBetween(
            scope,
            record.pupilId,
            new Date(at - reach),
            new Date(at + reach),
            MOST_AROUND,
          )
        : [];
    const status = rules.some((r) => r.kind === 'concern-with-status')
      ? await this.statusWhenStored(scope, record)
      : undefined;
    const firings = evaluateRecord(
      rules,
      toPatternRecord(record),
      around.map(toPatternRecord),
      status,
    );
    const flags: PatternFlag[] = [];
    for (const firing of firings) {
      const flag: PatternFlag = {
        ...firing,
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        flagId: flagIdOf(scope, record.pupilId, firing.ruleId, firing.window),
        pupilId: record.pupilId,
        triggerIncidentId: record.incidentId,
        raisedAt: clock.now(),
      };
      const raised = await this.store.insertFlag(flag);
      if (raised) {
        await this.sources.audit.record(
          auditEvent(
            { ...scope, aadObjectId: PATTERN_RULES_ACTOR },
            'pattern.flag-raise',
            { kind: 'pupil', id: record.pupilId },
            { reason: `rule ${firing.ruleId}` },
          ),
        );
      }
      const stored = raised ? flag : await this.store.findFlag(scope, flag.flagId);
      if (!stored) continue;
      await this.sources.cards.queueForFlag(stored);
      flags.push(stored);
    }
    await this.store.markChecked(scope, incidentId, clock.now());
    return flags;
  }

  /**
   * Evaluates records stored since then that were never evaluated: a crash between storing a
   * record and evaluating it (or a failed evaluation) is mended at start-up and on each pass.
   */
  async catchUp(since: Date): Promise<number> {
    const recent = await this.sources.records.listRecordedSince(since, 5_000);
    const checked = await this.store.checkedAmong(recent);
    let evaluated = 0;
    for (const record of recent) {
      if (checked.has(`${record.tenantId}|${record.schoolId}|${record.incidentId}`)) continue;
      await this.evaluate(record, record.incidentId);
      evaluated++;
    }
    return evaluated;
  }

  /** The open flags the team member may see: the team only, none about a pupil they are conflicted with. */
  async openFlags(actor: AccessActor, limit = 50): Promise<PatternFlag[]> {
    if (!isSafeguardingTeam(actor.roles)) return [];
    const flags = await this.store.openFlags(actor, limit + actor.conflictPupilIds.length * 5);
    return flags.filter((f) => !actor.conflictPupilIds.includes(f.pupilId)).slice(0, limit);
  }

  /** "Flag reviewed": the team only (not about a pupil they are conflicted with); audited once. */
  async markReviewed(
    actor: AccessActor,
    flagId: string,
    requestId?: string,
  ): Promise<{ first: boolean; reviewedAt: Date; reviewedByName: string }> {
    const flag = await this.store.findFlag(actor, flagId);
    if (!isSafeguardingTeam(actor.roles)) {
      await this.denied(
        actor,
        'pupil',
        flag?.pupilId ?? 'unknown',
        'pattern-flag:team-only',
        requestId,
      );
      throw new AppError('ACCESS.DENIED', 'pattern flags are for the safeguarding team');
    }
    // A conflicted member is told what anyone is told of a flag that is not there.
    if (!flag || actor.conflictPupilIds.includes(flag.pupilId)) {
      throw new AppError('PATTERN.FLAG_NOT_FOUND', 'no such pattern flag at this school');
    }
    const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
    const review = await this.store.markReviewed(actor, flagId, by, this.sources.clock.now());
    if (review.first) {
      await this.sources.audit.record(
        auditEvent(
          actor,
          'pattern.flag-review',
          { kind: 'pupil', id: flag.pupilId },
          { reason: `rule ${flag.ruleId}`, requestId },
        ),
      );
    }
    return {
      first: review.first,
      reviewedAt: review.reviewedAt,
      reviewedByName: review.reviewedBy.displayName,
    };
  }

  /** The pupil's status as it stood when the record was stored (a later change does not count). */
  private async statusWhenStored(
    scope: SchoolScope,
    record: IncidentHeader,
  ): Promise<StatusAtRecording | undefined> {
    const history = await this.sources.statuses.history(scope, record.pupilId, 50);
    return history.find((c) => c.changedAt.getTime() <= record.recordedAt.getTime())?.status;
  }

  private async mayConfigure(actor: AccessActor, requestId?: string): Promise<void> {
    if (isSafeguardingTeam(actor.roles) || actor.roles.includes('admin')) return;
    await this.denied(actor, 'school', actor.schoolId, 'pattern-rules:team-or-admin', requestId);
    throw new AppError('ACCESS.DENIED', 'pattern rules are for the team or an admin');
  }

  private async denied(
    actor: AccessActor,
    kind: 'pupil' | 'school',
    id: string,
    reason: string,
    requestId?: string,
  ): Promise<void> {
    await this.sources.audit.record(
      auditEvent(actor, 'access.denied', { kind, id: id.slice(0, 100) }, { reason, requestId }),
    );
  }
}

/**
 * The flag's unique key: its school, pupil, rule and window, hashed so the id (in URLs, in the
 * outbox's card) does not carry the pupil's id.
 */
function flagIdOf(scope: SchoolScope, pupilId: string, ruleId: string, window: number): string {
  return createHash('sha256')
    .update([scope.tenantId, scope.schoolId, pupilId, ruleId, String(window)].join('|'))
    .digest('hex')
    .slice(0, 32);
}

function toPatternRecord(record: IncidentHeader): PatternRecord {
  return {
    incidentId: record.incidentId,
    reference: record.reference,
    pupilId: record.pupilId,
    happenedAt: record.happenedAt,
    recordedAt: record.recordedAt,
    categoryIds: record.categoryIds,
  };
}
