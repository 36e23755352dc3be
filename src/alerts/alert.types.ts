import type { SchoolScope } from '../shared/school-scope';

/**
 * What an alert is about. `incident`: someone should read a new record. `receipt`: the recorder
 * learns the team has seen it. `undeliverable-notice`: the team learns an alert could not reach
 * someone.
 */
export type AlertKind =
  | 'incident'
  | 'receipt'
  | 'undeliverable-notice'
  // Actions on a record (src/actions): someone was told of an action, given a task, reminded of
  // it or told it is overdue; the team is prompted to chase a referral's decision.
  | 'action'
  | 'task'
  | 'task-reminder'
  | 'task-overdue'
  | 'referral-chase'
  // A concern about an adult (src/adult-concerns): the case manager is told there is one to read.
  | 'adult-concern'
  // A child protection file not yet received by the next school (src/transfers): chase it.
  | 'transfer-chase'
  // A child protection file from another school was imported: the DSL (and SENCO) read it now.
  | 'transfer-arrived'
  // A record reached its retention review date (src/retention): the team decides retain or dispose.
  | 'retention-review'
  // A school's pattern rule fired for a pupil (src/patterns): one card per flag to the team.
  | 'pattern';

/** Why this person gets it. */
export type AlertReason =
  | 'safeguarding-team'
  | 'chosen-by-recorder'
  | 'escalation'
  | 'reminder'
  | 'recorder-receipt'
  | 'team-notice'
  | 'action-recipient'
  | 'task-assignee'
  | 'task-clock'
  | 'referral-clock'
  | 'case-manager'
  | 'transfer-clock'
  | 'transfer-arrived'
  | 'pattern-rule'
  | 'retention-clock';

/**
 * `withheld`: deliberately never sent, and never to be (the reason is in `lastError`): an alert of
 * a record written as history (the demo school's past year), whose moment has gone; nothing
 * reads it for delivery, and the `alerts` command does not list it.
 */
export type AlertStatus = 'pending' | 'sent' | 'undeliverable' | 'withheld';

/**
 * One message to one person, durable before anything is sent (the outbox). It carries only what
 * the card may show in a chat: who recorded it, categories, reference, when. No pupil name, no
 * narrative.
 */
export interface Alert extends SchoolScope {
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly incidentId: string;
  readonly reference: string;
  readonly recipientAadObjectId: string;
  readonly reason: AlertReason;
  /** 0 for the first send; each escalation or reminder wave adds one. Part of the unique key. */
  readonly wave: number;
  readonly recordedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly categoryNames: readonly string[];
  readonly recordedAt: Date;
  readonly createdAt: Date;
  /** For undeliverable notices: whose alert failed and why (a staff name and a reason code). */
  readonly notice?: { readonly recipientName: string; readonly reason: string };
  /**
   * For the action kinds: which action (its id for the card's buttons, its kind and a task's due
   * time for the card's text; never the action's narrative). Waves of these kinds are keyed per
   * action: the action's sequence on the record (times 1000 plus the chase number for chases).
   */
  readonly action?: { readonly actionId: string; readonly kind: string; readonly dueAt?: Date };
  /**
   * For a pattern flag: which flag, the rule in words and how many records made it (never the
   * pupil: the chat keeps the card). Its record is the one whose recording fired the rule.
   */
  readonly pattern?: {
    readonly flagId: string;
    readonly ruleText: string;
    readonly recordCount: number;
  };
  // Delivery state (changed only by the holder of the alert's current lease).
  readonly status: AlertStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError?: string;
  /** How often the connector said this recipient does not exist (bounded: RECIPIENT_MISSING_TRIES). */
  readonly recipientMissingTries?: number;
  readonly activityId?: string;
  readonly conversationId?: string;
  readonly sentAt?: Date;
  /** The intent of the send that counts (its card carries it; see alert-sends.repository). */
  readonly sendId?: string;
}

/** A person's acknowledgement of a record's alert: "I have seen and understood this". */
export interface Acknowledgement extends SchoolScope {
  readonly incidentId: string;
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly acknowledgedAt: Date;
  readonly onTeam: boolean;
}

/**
 * The durable escalation job of a record: checked by the scheduler until a safeguarding team member
 * acknowledges. Survives restarts; several instances coordinate through leases.
 */
export interface EscalationJob extends SchoolScope {
  readonly incidentId: string;
  readonly reference: string;
  /** The record's pupils (ids only), so later waves skip anyone with a conflict of interest. */
  readonly pupilIds: readonly string[];
  readonly createdAt: Date;
  /** Ladder steps and reminder slots already behind the job (see nextEscalation). */
  readonly stepsDone: number;
  readonly nextCheckAt: Date;
  readonly teamAcknowledgedAt?: Date;
  readonly teamAcknowledgedBy?: string;
}
