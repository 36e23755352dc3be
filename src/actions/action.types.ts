import type { StatutoryCalendar } from '../clocks';
import type { SchoolScope } from '../shared/school-scope';

/** The kinds of follow-up a record can have (safeguarding.md "Actions"). */
export const ACTION_KINDS = [
  'note',
  'conversation',
  'phone-call',
  'meeting',
  'referral',
  'decision',
  'task',
] as const;

/** Who a conversation or phone call was with. */
export const CONVERSATION_PARTIES = ['pupil', 'parent-carer', 'professional'] as const;
export type ConversationParty = (typeof CONVERSATION_PARTIES)[number];

/** What the team decided. No further action needs a reason (the decision not to refer). */
export const DECISION_OUTCOMES = [
  'no-further-action',
  'monitor',
  'refer',
  'early-help',
  'other',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** What only some kinds carry. */
export type ActionDetails =
  | { readonly kind: 'note' }
  | { readonly kind: 'conversation'; readonly with: ConversationParty }
  | { readonly kind: 'phone-call'; readonly with: ConversationParty }
  | {
      readonly kind: 'meeting';
      /** The minutes: a file the author uploaded (src/files), or none yet. */
      readonly minutes?: { readonly fileId: string; readonly name: string };
    }
  | {
      readonly kind: 'referral';
      readonly agencyId: string;
      readonly agencyName: string;
      readonly agencyReference: string;
      readonly referredAt: Date;
      /** To children's social care: the one-working-day decision clock runs. */
      readonly statutory: boolean;
    }
  | { readonly kind: 'decision'; readonly outcome: DecisionOutcome; readonly reason: string }
  | {
      readonly kind: 'task';
      readonly assignee: { readonly aadObjectId: string; readonly displayName: string };
      /** The school-local day it is due (YYYY-MM-DD). */
      readonly dueDate: string;
      /** When it becomes overdue (end of that school day). */
      readonly dueAt: Date;
    };

/** What someone adds, validated but not yet checked against the record and the directory. */
export interface ActionInput {
  readonly details: ActionDetailsInput;
  readonly happenedAt: Date;
  readonly text: string;
  /** Staff to alert about this action, beyond a task's assignee. */
  readonly alertStaffIds: readonly string[];
  /** From the form: a double click or a Teams retry makes one action. */
  readonly idempotencyKey: string;
}

/** Details as typed: names and derived times are filled in by the service. */
export type ActionDetailsInput =
  | Extract<ActionDetails, { kind: 'note' | 'conversation' | 'phone-call' | 'decision' }>
  | { readonly kind: 'meeting'; readonly minutesFileId?: string }
  | {
      readonly kind: 'referral';
      readonly agencyId: string;
      readonly agencyReference: string;
      readonly referredAt: Date;
    }
  | { readonly kind: 'task'; readonly assigneeAadObjectId: string; readonly dueDate: string };

/** A follow-up on a record. Immutable: a change is a new document (a completion, a status). */
export interface Action extends SchoolScope {
  readonly actionId: string;
  readonly incidentId: string;
  /** The record's reference, for cards (no narrative). */
  readonly reference: string;
  /** The record's pupils (ids only): lists skip anyone with a conflict of interest. */
  readonly pupilIds: readonly string[];
  /** Per record, 1, 2, 3 … claimed by insert: orders actions and keys their alerts. */
  readonly sequence: number;
  readonly details: ActionDetails;
  readonly happenedAt: Date;
  /** Server clock, never the card. */
  readonly recordedAt: Date;
  readonly author: { readonly aadObjectId: string; readonly displayName: string };
  /** Narrative: sealed at rest once encryption lands (see action.repository.ts). */
  readonly text: string;
  readonly alertStaffIds: readonly string[];
  readonly idempotencyKey: string;
}

/** A task marked done: its own document (the task stays as it was written). */
export interface TaskCompletion extends SchoolScope {
  readonly actionId: string;
  readonly incidentId: string;
  readonly completedAt: Date;
  readonly completedBy: { readonly aadObjectId: string; readonly displayName: string };
}

/** One change of a case's status; the latest per record is its status. */
export interface CaseStatusEvent extends SchoolScope {
  readonly incidentId: string;
  /** 1, 2, 3 … per record, claimed by insert (two closes at once: one wins). */
  readonly sequence: number;
  readonly status: 'closed' | 'reopened';
  /** Closing: the decision action that is the outcome. */
  readonly outcomeActionId?: string;
  /** Reopening: why. */
  readonly reason?: string;
  readonly at: Date;
  readonly by: { readonly aadObjectId: string; readonly displayName: string };
}

/** A record's case status as history cards and the tab show it. */
export interface CaseStatus {
  readonly incidentId: string;
  readonly status: 'open' | 'closed';
  /** The latest change, if any (closed: the outcome; reopened: the reason). */
  readonly latest?: CaseStatusEvent;
}

/**
 * A durable clock job: a task's reminders or a referral's chase prompts; or another feature's
 * clock run by the same jobs (`transfer`: a child protection file's chase, `actionId` and
 * `incidentId` holding the transfer's id).
 */
export interface ActionJob extends SchoolScope {
  readonly jobId: string;
  readonly kind: 'task' | 'referral' | 'transfer' | 'retention';
  readonly incidentId: string;
  readonly actionId: string;
  readonly nextCheckAt: Date;
  /** Set once nothing more will happen (task done or overdue sent; decision recorded). */
  readonly settledAt?: Date;
}

/**
 * What the actions feature needs configured (a type of its own, so the service and the details
 * it validates both read it without importing each other).
 */
export interface ActionConfig {
  readonly calendar: StatutoryCalendar;
}
