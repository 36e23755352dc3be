/** One line of the desk: which record it is about, and what the line says; it opens the record. */
interface DeskRecordLine {
  readonly incidentId: string;
  readonly reference: string;
  /** The name staff know the pupil by (the desk is inside the tab, for the people allowed). */
  readonly pupilName: string;
}

interface NewConcernLine extends DeskRecordLine {
  readonly recordedAt: Date;
  readonly recordedByName: string;
  readonly categoryNames: readonly string[];
}

interface UnacknowledgedAlertLine extends DeskRecordLine {
  /** When the concern was recorded (the alert's age counts from it). */
  readonly recordedAt: Date;
  /** 0 for the first alert; each escalation up the ladder adds one. */
  readonly escalationStep: number;
}

interface ReferralLine extends DeskRecordLine {
  readonly referredAt: Date;
  readonly agencyName: string;
  readonly decisionDueAt: Date;
  readonly overdue: boolean;
}

export interface TaskLine extends DeskRecordLine {
  readonly actionId: string;
  readonly assigneeName: string;
  readonly dueAt: Date;
  readonly overdue: boolean;
}

/** A pattern rule that fired for a pupil: on the desk until the team reviews it. */
export interface PatternFlagLine {
  readonly flagId: string;
  readonly pupilName: string;
  readonly ruleText: string;
  readonly raisedAt: Date;
  /** The records that made it, oldest first: each opens. */
  readonly records: readonly { readonly incidentId: string; readonly reference: string }[];
}

/** A record whose case is open, with how long: open since recorded, or since last reopened. */
export interface OpenCaseLine extends DeskRecordLine {
  readonly openSince: Date;
  readonly daysOpen: number;
  readonly reopened: boolean;
}

/** What needs the safeguarding team now: each list newest or most urgent first. */
export interface NeedsAttention {
  readonly kind: 'team';
  readonly newConcerns: readonly NewConcernLine[];
  readonly unacknowledgedAlerts: readonly UnacknowledgedAlertLine[];
  readonly undeliverableAlerts: number;
  readonly referralsAwaitingDecision: readonly ReferralLine[];
  /** Overdue tasks of the school, and tasks due today. */
  readonly tasks: readonly TaskLine[];
  /** Pattern flags not reviewed yet, newest first. */
  readonly patternFlags: readonly PatternFlagLine[];
  /** Open cases, oldest first (at most 50), and how many there are in all. */
  readonly openCases: readonly OpenCaseLine[];
  readonly openCaseCount: number;
}

/** A member of staff outside the team: their own recent records and their open tasks. */
export interface MyDesk {
  readonly kind: 'staff';
  readonly myRecords: readonly { incidentId: string; reference: string; recordedAt: Date }[];
  readonly myTasks: readonly TaskLine[];
}
