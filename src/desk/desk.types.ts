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

/**
 * An alert Teams could not deliver (the person has no chat with the app, blocked it, or the
 * connector says they do not exist): the team tells them another way. No pupil: whom and which
 * record only, as on the alert itself.
 */
interface UndeliveredAlertLine {
  readonly incidentId: string;
  readonly reference: string;
  readonly alertId: string;
  readonly recipientName: string;
  /** Name-free: the status and code Teams answered, and why we stopped trying. */
  readonly reason: string;
  readonly queuedAt: Date;
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
  /** "Alerts that could not be delivered": whom each was for and its record, newest first. */
  readonly undeliveredAlerts: readonly UndeliveredAlertLine[];
  readonly referralsAwaitingDecision: readonly ReferralLine[];
  /** Overdue tasks of the school, and tasks due today. */
  readonly tasks: readonly TaskLine[];
  /** Subject access requests still open, soonest due first, with their statutory clock. */
  readonly subjectAccessRequests: readonly SubjectAccessLine[];
  /** Child protection files still waiting to be sent or for the next school's receipt. */
  readonly transfers?: readonly TransferDeskLine[];
  /** Pattern flags not reviewed yet, newest first. */
  readonly patternFlags: readonly PatternFlagLine[];
  /** Open cases, oldest first (at most 50), and how many there are in all. */
  readonly openCases: readonly OpenCaseLine[];
  readonly openCaseCount: number;
  /** Records due for retention review today or earlier (src/retention), when it is wired in. */
  readonly retentionReviewsDue?: number;
}

/** An open subject access request: which, about whom, and when it must be answered. */
interface SubjectAccessLine {
  readonly sarId: string;
  readonly reference: string;
  readonly pupilName: string;
  readonly receivedAt: Date;
  readonly dueAt: Date;
  readonly extended: boolean;
  readonly overdue: boolean;
}

/** A transfer as its feature gives it to the desk (a narrow copy of its line). */
export interface TransferDeskSource {
  readonly transfer: {
    readonly transferId: string;
    readonly pupilId: string;
    readonly destination: { readonly schoolName?: string };
    readonly dueBy: Date;
  };
  readonly state: 'awaiting-send' | 'awaiting-receipt' | 'received';
  readonly overdue: boolean;
  readonly chasesDue: number;
}

/** A transfer on the desk: a pupil's file due at the next school by `dueBy` (5 school days). */
interface TransferDeskLine {
  readonly transferId: string;
  readonly pupilName: string;
  readonly destinationSchool: string;
  readonly state: TransferDeskSource['state'];
  readonly dueBy: Date;
  readonly overdue: boolean;
  /** No receipt by day 5: the DSL chases, once each school day; this counts the prompts so far. */
  readonly chasesDue: number;
}

/** A member of staff outside the team: their own recent records and their open tasks. */
export interface MyDesk {
  readonly kind: 'staff';
  readonly myRecords: readonly { incidentId: string; reference: string; recordedAt: Date }[];
  readonly myTasks: readonly TaskLine[];
}
