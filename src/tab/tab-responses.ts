import { z } from 'zod';
import { instant, list } from './response-parts';

/**
 * The tab API's answers, one schema a route. The server passes every answer through its schema
 * before it leaves (tab-routes.ts), so a field a service grows later does not reach the browser
 * until it is named here; the client takes its types from this file (`z.output`: what arrives as
 * JSON), so the two cannot drift apart unnoticed. Zod only: the tab-client type-checks this file
 * in the browser's build, and must not pull in the server.
 */

// The answers of the larger features live beside this file, one file each; they are exported
// from here too, so routes and the tab client keep one place to import from.
export * from './adult-concern-responses';
export * from './report-responses';
export * from './sar-responses';
export * from './transfer-responses';
export * from './retention-responses';

const entryType = z.enum(['incident', 'action', 'amendment', 'file', 'transferred-in']);
const caseStatus = z.enum(['open', 'closed']);

export const meAnswer = z.object({
  displayName: z.string(),
  roles: list(z.string()),
  isSafeguardingTeam: z.boolean(),
  steppedUp: z.boolean(),
  schoolName: z.string(),
  development: z.boolean(),
  inactivityMinutes: z.number(),
});

const pupilSummary = z.object({
  pupilId: z.string(),
  displayName: z.string(),
  yearGroup: z.string(),
});

export const pupilSearchAnswer = z.object({ pupils: list(pupilSummary) });

/** One line of a chronology: a summary, never narrative. */
const chronologyEntry = z.object({
  entryId: z.string(),
  type: entryType,
  incidentId: z.string(),
  reference: z.string(),
  happenedAt: instant,
  recordedAt: instant,
  recordedByName: z.string(),
  categoryNames: list(z.string()),
  pupilRole: z.enum(['subject', 'linked']),
  status: caseStatus,
  amended: z.boolean(),
  /** On a concern's own line: whether the team has reviewed it. */
  reviewed: z.boolean().optional(),
  title: z.string(),
  /** On a line another school sent: the package and its record, to open as it arrived. */
  transferredIn: z
    .object({
      packageId: z.string(),
      incidentId: z.string(),
      fromSchool: z.string(),
      receivedAt: instant,
    })
    .optional(),
});

export const chronologyPageAnswer = z.object({
  pupil: pupilSummary,
  entries: list(chronologyEntry),
  nextCursor: z.string().nullable(),
  categories: list(z.object({ categoryId: z.string(), name: z.string() })),
});

export const chartAnswer = z.object({
  months: list(z.string()),
  series: list(z.object({ categoryName: z.string(), counts: list(z.number()) })),
});

const bodyMapMark = z.object({
  region: z.string(),
  description: z.string().optional(),
  note: z.string().optional(),
});

/** The narrative fields of a record. */
export const recordNarrative = z.object({
  location: z.string(),
  facts: z.string(),
  childsWords: z.string(),
  adultsWords: z.string(),
  leadingQuestionNote: z.string(),
  opinion: z.string(),
  actionTaken: z.string(),
  actionRequired: z.string(),
  bodyMap: list(bodyMapMark).optional(),
});

/** Who first marked a record reviewed, and when (null: nobody in the team yet). */
const reviewLine = z.object({ reviewedByName: z.string(), reviewedAt: instant });

export const recordAnswer = z.object({
  review: reviewLine.nullable(),
  incident: recordNarrative.extend({
    incidentId: z.string(),
    reference: z.string(),
    happenedAt: instant,
    recordedAt: instant,
    recordedByName: z.string(),
    pupil: z.object({ pupilId: z.string(), displayName: z.string() }),
    linkedPupils: list(
      z.object({ pupilId: z.string(), displayName: z.string(), role: z.string() }),
    ),
    categoryNames: list(z.string()),
    agencyNames: list(z.string()),
    status: caseStatus,
  }),
  files: list(
    z.object({
      fileId: z.string(),
      fileName: z.string(),
      uploadedAt: instant,
      uploadedByName: z.string(),
    }),
  ),
  /** Oldest first; the narrative shown already reads as amended. */
  amendments: list(
    z.object({
      version: z.number(),
      amendedByName: z.string(),
      amendedAt: instant,
      reason: z.string(),
      changedFields: list(z.string()),
    }),
  ),
  actions: list(
    z.object({
      actionId: z.string(),
      kind: z.string(),
      happenedAt: instant,
      authorName: z.string(),
      text: z.string(),
    }),
  ),
});

export const reviewedAnswer = z.object({ review: reviewLine, first: z.boolean() });

export const amendedAnswer = z.object({ version: z.number() });

export const caseStatusAnswer = z.object({ status: caseStatus });

export const recordAuditAnswer = z.object({
  events: list(
    z.object({
      sequence: z.number(),
      at: instant,
      actorName: z.string(),
      action: z.string(),
      reason: z.string().optional(),
    }),
  ),
});

export const exportAnswer = z.object({
  exportedByName: z.string(),
  exportedAt: instant,
  pupil: pupilSummary,
  entries: list(chronologyEntry.extend(recordNarrative.partial().shape)),
});

export const devTokenAnswer = z.object({ token: z.string() });

export const devUsersAnswer = z.object({
  users: list(
    z.object({ aadObjectId: z.string(), displayName: z.string(), roles: list(z.string()) }),
  ),
});

const pupilStatus = z.object({
  childProtectionPlan: z.boolean(),
  childInNeed: z.boolean(),
  ehcp: z.boolean(),
  senSupport: z.boolean(),
  freeSchoolMeals: z.boolean(),
  pupilPremium: z.boolean(),
  youngCarer: z.boolean(),
  eal: z.boolean(),
  alternativeProvision: z.boolean(),
  lookedAfter: z.enum(['no', 'looked-after', 'previously-looked-after']),
  nhsNumber: z.string().optional(),
  nhsNumberMissingReason: z.string().optional(),
});

/** A pupil's status for the team: now, whether anyone has said anything, and its history. */
export const pupilStatusAnswer = z.object({
  status: pupilStatus,
  known: z.boolean(),
  history: list(
    z.object({
      sequence: z.number(),
      changedAt: instant,
      changedByName: z.string(),
      changedFields: list(z.string()),
      reason: z.string(),
      source: z.enum(['tab', 'import']),
    }),
  ),
});

export const pupilStatusChangedAnswer = z.object({ sequence: z.number(), changed: z.boolean() });

const deskRecordLine = { incidentId: z.string(), reference: z.string(), pupilName: z.string() };
const taskLine = z.object({
  ...deskRecordLine,
  actionId: z.string(),
  assigneeName: z.string(),
  dueAt: instant,
  overdue: z.boolean(),
});

/** The desk: what needs the team now, or a member of staff's own records and tasks. */
export const deskAnswer = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('team'),
    newConcerns: list(
      z.object({
        ...deskRecordLine,
        recordedAt: instant,
        recordedByName: z.string(),
        categoryNames: list(z.string()),
      }),
    ),
    unacknowledgedAlerts: list(
      z.object({ ...deskRecordLine, recordedAt: instant, escalationStep: z.number() }),
    ),
    undeliverableAlerts: z.number(),
    undeliveredAlerts: list(
      z.object({
        incidentId: z.string(),
        reference: z.string(),
        alertId: z.string(),
        recipientName: z.string(),
        reason: z.string(),
        queuedAt: instant,
      }),
    ),
    referralsAwaitingDecision: list(
      z.object({
        ...deskRecordLine,
        referredAt: instant,
        agencyName: z.string(),
        decisionDueAt: instant,
        overdue: z.boolean(),
      }),
    ),
    tasks: list(taskLine),
    subjectAccessRequests: list(
      z.object({
        sarId: z.string(),
        reference: z.string(),
        pupilName: z.string(),
        receivedAt: instant,
        dueAt: instant,
        extended: z.boolean(),
        overdue: z.boolean(),
      }),
    ),
    transfers: list(
      z.object({
        transferId: z.string(),
        pupilName: z.string(),
        destinationSchool: z.string(),
        state: z.enum(['awaiting-send', 'awaiting-receipt', 'received']),
        dueBy: instant,
        overdue: z.boolean(),
        chasesDue: z.number(),
      }),
    ).optional(),
    patternFlags: list(
      z.object({
        flagId: z.string(),
        pupilName: z.string(),
        ruleText: z.string(),
        raisedAt: instant,
        records: list(z.object({ incidentId: z.string(), reference: z.string() })),
      }),
    ),
    openCases: list(
      z.object({
        ...deskRecordLine,
        openSince: instant,
        daysOpen: z.number(),
        reopened: z.boolean(),
      }),
    ),
    openCaseCount: z.number(),
    retentionReviewsDue: z.number().optional(),
  }),
  z.object({
    kind: z.literal('staff'),
    myRecords: list(
      z.object({ incidentId: z.string(), reference: z.string(), recordedAt: instant }),
    ),
    myTasks: list(taskLine),
  }),
]);

/** A pattern flag marked reviewed: whether this click was the first, and the first review. */
export const flagReviewedAnswer = z.object({
  first: z.boolean(),
  reviewedAt: instant,
  reviewedByName: z.string(),
});

/** A school's pattern rules, each with the words the desk and the card use for it. */
export const patternRulesAnswer = z.object({
  rules: list(
    z.object({
      ruleId: z.string(),
      kind: z.enum(['concerns-in-days', 'category-in-days', 'concern-with-status']),
      count: z.number().optional(),
      days: z.number(),
      status: z.string().optional(),
      text: z.string(),
    }),
  ),
});
