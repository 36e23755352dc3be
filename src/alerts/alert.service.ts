// Over 300 lines: the one service the bot, the tab and the delivery worker call for an alert's
// life (queueing, acknowledging, escalating, notices, the open list). Escalation could become a
// service of its own, but that changes how alerts/ is composed, which alerts.module.ts (issue 13,
// a parallel change) owns; splitting it belongs with that. Pure alert building is in new-alert.ts.
import type { AuditTrail } from '../audit';
import type { DomainEvents } from '../events';
import type { IncidentHeader } from '../incidents';
import type { Category } from '../schools';
import { NEVER_DUE, type Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam, type Actor, type StaffMember, type StaffRole } from '../staff';
import { selectAlertRecipients, type AlertRecipient } from './alert-recipients';
import type { AlertRepository } from './alert.repository';
import type { Acknowledgement, Alert, AlertReason } from './alert.types';
import { nextEscalation, type EscalationConfig } from './escalation';
import { newAlert, newAlertFrom } from './new-alert';
import type { SchoolDayConfig } from '../clocks';
import { auditEvent, type ChangeAuditRecovery } from '../audit';
import { acknowledgementChange } from './acknowledgement-audit';

/** The directory reads alerting needs. */
export interface AlertDirectory {
  listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
  listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
  findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  listCategories(scope: SchoolScope): Promise<Category[]>;
}

type AlertStore = Pick<
  AlertRepository,
  | 'insertMissing'
  | 'get'
  | 'forIncident'
  | 'acknowledge'
  | 'acknowledgements'
  | 'insertJob'
  | 'getJob'
  | 'updateJob'
  | 'listByStatus'
  | 'incidentsWithJobs'
  | 'hasTeamAcknowledgement'
  | 'openFactsOf'
>;

/** The result of an acknowledgement, for the card the clicker sees and the cards others see. */
export interface AcknowledgeResult {
  readonly alert: Alert;
  /** When this person acknowledged (the first time, if they click again). */
  readonly acknowledgedAt: Date;
  /** False for a second click or a replay: nothing changed. */
  readonly changed: boolean;
  /** The record's acknowledgements so far, earliest first. */
  readonly acknowledgements: readonly Acknowledgement[];
  /** The other recipients' sent alerts, whose cards should now say who acknowledged. */
  readonly othersToUpdate: readonly Alert[];
}

/**
 * Alerts for records: who gets one (outbox first, before anything is sent), acknowledgements,
 * receipts for the recorder and the escalation ladder. Sending is the delivery worker's job.
 */
export class AlertService {
  constructor(
    private readonly store: AlertStore,
    private readonly directory: AlertDirectory,
    private readonly incidents: {
      listRecordedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
      listInsertedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
    },
    private readonly clock: Clock,
    private readonly config: { escalation: EscalationConfig; schoolDay: SchoolDayConfig },
    private readonly audit: AuditTrail,
    /** Hears `alert.acknowledged` once a first acknowledgement is stored. */
    private readonly events?: Pick<DomainEvents, 'publish'>,
    /** Appends the event a crash cut off after an acknowledgement, when it is pressed again. */
    private readonly recovery?: Pick<ChangeAuditRecovery, 'recover'>,
  ) {}

  /**
   * Inserts one alert per recipient and the record's escalation job. Idempotent: call it again after
   * a crash or a retried submit and nothing is duplicated. Returns how many alerts were new.
   */
  async enqueueForIncident(incident: IncidentHeader): Promise<number> {
    const { recipients, categories } = await this.choose(incident);
    const categoryNames = namesOf(incident.categoryIds, categories);
    const now = this.clock.now();
    const alerts = recipients.map((r) =>
      newAlert(incident, 'incident', r.member.aadObjectId, r.reason, 0, categoryNames, now),
    );
    const inserted = await this.store.insertMissing(alerts);
    await this.store.insertJob({
      tenantId: incident.tenantId,
      schoolId: incident.schoolId,
      incidentId: incident.incidentId,
      reference: incident.reference,
      pupilIds: pupilIdsOf(incident),
      createdAt: now,
      stepsDone: 0,
      nextCheckAt: now,
    });
    return inserted;
  }

  /**
   * Whom a record's alert goes to, and why: the choice `enqueueForIncident` queues (made the same
   * way, from the same directory), for the recorder's confirmation. Only alerts/ chooses.
   */
  async recipientsFor(incident: IncidentHeader): Promise<AlertRecipient[]> {
    return (await this.choose(incident)).recipients;
  }

  private async choose(
    incident: IncidentHeader,
  ): Promise<{ recipients: AlertRecipient[]; categories: Category[] }> {
    const [team, chosen, categories] = await Promise.all([
      this.directory.listSafeguardingTeam(incident),
      this.directory.findStaff(incident, incident.alertStaffIds),
      this.directory.listCategories(incident),
    ]);
    const recipients = selectAlertRecipients({
      team,
      chosen,
      recorderAadObjectId: incident.recordedBy.aadObjectId,
      pupilIds: pupilIdsOf(incident),
      teamOnly: incident.categoryIds.some(
        (id) => categories.find((c) => c.categoryId === id)?.teamOnly,
      ),
    });
    return { recipients, categories };
  }

  /**
   * Queues alerts for records stored since `since` that have none yet. A record's escalation job is
   * written after its alerts, so a record without a job is one whose queueing was cut short (a
   * crash, a store hiccup after the record was stored). Cheap enough to run every few minutes.
   */
  async reconcile(since: Date, only: 'recorded' | 'inserted' = 'recorded'): Promise<number> {
    // 'inserted' is the frequent look at the last minutes (an index seek by _id); 'recorded'
    // the weekly sweep by recordedAt (a scan on stores that push no date range).
    const incidents =
      only === 'inserted'
        ? await this.incidents.listInsertedSince(since, 5_000)
        : await this.incidents.listRecordedSince(since, 5_000);
    const settled = await this.store.incidentsWithJobs(incidents.map((i) => i.incidentId));
    let queued = 0;
    for (const incident of incidents) {
      if (!settled.has(incident.incidentId)) queued += await this.enqueueForIncident(incident);
    }
    return queued;
  }

  /**
   * "I have seen and understood this." Only the alert's recipient may acknowledge it; a second
   * click changes nothing. The first acknowledgement by the safeguarding team stops escalation and
   * sends the recorder a receipt.
   */
  async acknowledge(actor: Actor, alertId: string): Promise<AcknowledgeResult> {
    const alert = await this.store.get(alertId);
    if (
      !alert ||
      alert.kind !== 'incident' ||
      alert.tenantId !== actor.tenantId ||
      alert.schoolId !== actor.schoolId ||
      alert.recipientAadObjectId !== actor.aadObjectId
    ) {
      await this.audit.record(
        auditEvent(
          actor,
          'access.denied',
          { kind: 'alert', id: alertId.slice(0, 100) },
          { reason: 'not-recipient: acknowledge refused' },
        ),
      );
      throw new AppError('ALERT.NOT_RECIPIENT', 'acknowledge refused: not this alert’s recipient');
    }
    const now = this.clock.now();
    const onTeam = isSafeguardingTeam(actor.roles);
    const changed = await this.store.acknowledge({
      tenantId: alert.tenantId,
      schoolId: alert.schoolId,
      incidentId: alert.incidentId,
      aadObjectId: actor.aadObjectId,
      displayName: actor.displayName,
      acknowledgedAt: now,
      onTeam,
    });
    if (changed) {
      await this.audit.record(
        auditEvent(actor, 'alert.acknowledge', { kind: 'incident', id: alert.incidentId }),
      );
    }
    if (changed && onTeam) await this.settleEscalation(alert, actor, now);
    if (changed) {
      await this.events?.publish({
        type: 'alert.acknowledged',
        tenantId: alert.tenantId,
        schoolId: alert.schoolId,
        incidentId: alert.incidentId,
        alertId: alert.alertId,
        byAadObjectId: actor.aadObjectId,
        onTeam,
      });
    }

    const [acknowledgements, all] = await Promise.all([
      this.store.acknowledgements(alert, alert.incidentId),
      this.store.forIncident(alert, alert.incidentId, 'incident'),
    ]);
    const mine = acknowledgements.find((a) => a.aadObjectId === actor.aadObjectId);
    // Pressed again: the first press may have died between storing and auditing it.
    if (!changed && mine) await this.recovery?.recover([acknowledgementChange(mine)]);
    return {
      alert,
      acknowledgedAt: mine?.acknowledgedAt ?? now,
      changed,
      acknowledgements,
      othersToUpdate: changed
        ? all.filter((a) => a.recipientAadObjectId !== actor.aadObjectId && a.activityId)
        : [],
    };
  }

  /** The record's acknowledgements so far (to draw a recipient's card). */
  acknowledgementsOf(scope: SchoolScope, incidentId: string): Promise<Acknowledgement[]> {
    return this.store.acknowledgements(scope, incidentId);
  }

  /**
   * Moves one record's escalation on, if due: more people per the ladder, then reminders to the
   * whole team, until a team member acknowledges. The caller holds the record's lease.
   */
  async escalate(
    scope: SchoolScope,
    incidentId: string,
  ): Promise<'settled' | 'waiting' | 'escalated'> {
    const job = await this.store.getJob(scope, incidentId);
    if (!job || job.teamAcknowledgedAt) return 'settled';
    const now = this.clock.now();
    if (await this.store.hasTeamAcknowledgement(scope, incidentId)) {
      // The acknowledgement won; this job's cached flag was lost to a concurrent update. Mend it.
      await this.store.updateJob(scope, incidentId, {
        teamAcknowledgedAt: now,
        nextCheckAt: NEVER_DUE,
      });
      return 'settled';
    }
    const decision = nextEscalation({
      alertCreatedAt: job.createdAt,
      now,
      stepsDone: job.stepsDone,
      acknowledged: false,
      cfg: this.config.escalation,
      schoolDay: this.config.schoolDay,
    });
    if (decision.kind === 'none') {
      await this.store.updateJob(scope, incidentId, { nextCheckAt: NEVER_DUE });
      return 'settled';
    }
    if (decision.kind === 'wait') {
      await this.store.updateJob(scope, incidentId, { nextCheckAt: decision.until });
      return 'waiting';
    }
    const [first] = await this.store.forIncident(scope, incidentId, 'incident');
    if (!first) return 'settled';
    // nextEscalation numbers the slot it acts on (missed reminders collapse into the latest).
    const wave = decision.step + 1;
    // An escalation adds the step's roles; a reminder goes to the team and everyone added so far.
    const recipients =
      decision.kind === 'escalate'
        ? await this.staffWithRoles(scope, decision.roles)
        : [
            ...(await this.directory.listSafeguardingTeam(scope)),
            ...(await this.staffWithRoles(scope, decision.allRoles)),
          ];
    const reason: AlertReason = decision.kind === 'escalate' ? 'escalation' : 'reminder';
    // Checked again just before sending more: someone may have acknowledged meanwhile.
    if (await this.store.hasTeamAcknowledgement(scope, incidentId)) return 'settled';
    const eligible = selectAlertRecipients({
      team: recipients,
      chosen: [],
      recorderAadObjectId: first.recordedBy.aadObjectId,
      pupilIds: job.pupilIds,
      teamOnly: false, // escalation goes to roles on the ladder, never to chosen colleagues
    });
    await this.store.insertMissing(
      eligible.map((r) => newAlertFrom(first, 'incident', r.member.aadObjectId, reason, wave, now)),
    );
    await this.store.updateJob(scope, incidentId, { stepsDone: wave, nextCheckAt: now });
    await this.events?.publish({
      type: 'alert.escalated',
      ...scoped(scope),
      incidentId,
      step: wave,
    });
    return 'escalated';
  }

  /** Tells the safeguarding team that an alert could not be delivered (never about a notice). */
  async noticeUndeliverable(alert: Alert, reason: string): Promise<void> {
    if (alert.kind !== 'incident') return;
    // Told once per person and record: each escalation or reminder wave to someone who does not
    // exist would otherwise card the whole team again.
    const earlier = await this.store.forIncident(alert, alert.incidentId, 'incident');
    const told = earlier.some(
      (a) =>
        a.recipientAadObjectId === alert.recipientAadObjectId &&
        a.wave < alert.wave &&
        a.status === 'undeliverable',
    );
    if (told) return;
    const [team, [recipient]] = await Promise.all([
      this.directory.listSafeguardingTeam(alert),
      this.directory.findStaff(alert, [alert.recipientAadObjectId]),
    ]);
    const now = this.clock.now();
    const notices = team
      .filter((m) => m.aadObjectId !== alert.recipientAadObjectId)
      .map((m) => ({
        ...newAlertFrom(
          alert,
          'undeliverable-notice',
          m.aadObjectId,
          'team-notice',
          alert.wave,
          now,
        ),
        notice: { recipientName: recipient?.displayName ?? 'a member of staff', reason },
      }));
    await this.store.insertMissing(notices);
  }

  /** For the team's `alerts` command: alerts nobody has acknowledged yet, and undeliverable ones. */
  async listOpen(actor: Actor): Promise<{ unacknowledged: Alert[]; undeliverable: Alert[] }> {
    if (!isSafeguardingTeam(actor.roles)) {
      throw new AppError('ACCESS.DENIED', 'alerts list is for the safeguarding team');
    }
    const [active, undeliverable] = await Promise.all([
      this.store.listByStatus(actor, ['pending', 'sent'], 200),
      this.store.listByStatus(actor, ['undeliverable'], 50),
    ]);
    const unacknowledged: Alert[] = [];
    const hidden = await this.conflictedIncidents(actor, undeliverable);
    // Each record's newest alert, then one $in each for team acknowledgements and escalation
    // jobs (which name the pupils), not two reads per record.
    const newest = new Map<string, Alert>();
    for (const alert of active)
      if (!newest.has(alert.incidentId)) newest.set(alert.incidentId, alert);
    const { teamAcknowledged, pupilIdsOf } = await this.store.openFactsOf(actor, [
      ...newest.keys(),
    ]);
    for (const [incidentId, alert] of newest) {
      // A conflict of interest hides a record from a person whatever their role.
      if (pupilIdsOf.get(incidentId)?.some((id) => actor.conflictPupilIds.includes(id))) continue;
      if (!teamAcknowledged.has(incidentId)) unacknowledged.push(alert);
      if (unacknowledged.length >= 25) break;
    }
    return {
      unacknowledged,
      undeliverable: undeliverable.filter((a) => !hidden.has(a.incidentId)),
    };
  }

  /** Records among these alerts' that are about a pupil the actor has a conflict of interest with. */
  private async conflictedIncidents(actor: Actor, alerts: readonly Alert[]): Promise<Set<string>> {
    const hidden = new Set<string>();
    if (actor.conflictPupilIds.length === 0) return hidden;
    for (const incidentId of new Set(alerts.map((a) => a.incidentId))) {
      const job = await this.store.getJob(actor, incidentId);
      if (job?.pupilIds.some((id) => actor.conflictPupilIds.includes(id))) hidden.add(incidentId);
    }
    return hidden;
  }

  /** The names of these alerts' recipients (staff no longer listed are left out), for the desk. */
  async recipientNames(scope: SchoolScope, alerts: readonly Alert[]): Promise<Map<string, string>> {
    const ids = [...new Set(alerts.map((a) => a.recipientAadObjectId))];
    if (ids.length === 0) return new Map();
    const staff = await this.directory.findStaff(scope, ids);
    return new Map(staff.map((m) => [m.aadObjectId, m.displayName]));
  }

  private async settleEscalation(alert: Alert, actor: Actor, now: Date): Promise<void> {
    const job = await this.store.getJob(alert, alert.incidentId);
    if (job?.teamAcknowledgedAt) return;
    await this.store.updateJob(alert, alert.incidentId, {
      teamAcknowledgedAt: now,
      teamAcknowledgedBy: actor.displayName,
      nextCheckAt: NEVER_DUE,
    });
    // The unique key (record, recorder, receipt, wave 0) makes this one receipt however many
    // team members acknowledge at once.
    await this.store.insertMissing([
      newAlertFrom(alert, 'receipt', alert.recordedBy.aadObjectId, 'recorder-receipt', 0, now),
    ]);
  }

  private async staffWithRoles(
    scope: SchoolScope,
    roles: readonly StaffRole[],
  ): Promise<StaffMember[]> {
    const staff = await this.directory.listActiveStaff(scope, 500);
    return staff.filter((m) => m.roles.some((r) => roles.includes(r)));
  }
}

function pupilIdsOf(incident: IncidentHeader): string[] {
  return [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)];
}

function namesOf(ids: readonly string[], categories: readonly Category[]): string[] {
  const names = new Map(categories.map((c) => [c.categoryId, c.name]));
  return ids.map((id) => names.get(id) ?? id);
}
