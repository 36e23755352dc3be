import { z } from 'zod';

/**
 * The tab API's answers, one schema a route. The server passes every answer through its schema
 * before it leaves (tab-routes.ts), so a field a service grows later does not reach the browser
 * until it is named here; the client takes its types from this file (`z.output`: what arrives as
 * JSON), so the two cannot drift apart unnoticed. Zod only: the tab-client type-checks this file
 * in the browser's build, and must not pull in the server.
 */

/** A Date on the server, an ISO string on the wire (strings pass, as already-serialised). */
const instant = z.union([z.date().transform((d) => d.toISOString()), z.iso.datetime()]);

/** Read-only on both sides: services hand out readonly arrays; the client never edits an answer. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const entryType = z.enum(['incident', 'action', 'amendment', 'file']);
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
  }),
  z.object({
    kind: z.literal('staff'),
    myRecords: list(
      z.object({ incidentId: z.string(), reference: z.string(), recordedAt: instant }),
    ),
    myTasks: list(taskLine),
  }),
]);

// Concerns about adults (src/tab/adult-concerns/): the case manager's list and record.

const adultConcernClock = z.object({
  state: z.enum(['not-applicable', 'due', 'overdue', 'referred']),
  dueAt: instant.optional(),
  referredAt: instant.optional(),
  late: z.boolean().optional(),
});

/** A line of the case manager's list: no name, no narrative. */
const adultConcernLine = z.object({
  concernId: z.string(),
  reference: z.string(),
  route: z.enum(['allegation', 'low-level']),
  caseManagerRoute: z.enum(['head', 'chair']),
  adultKind: z.string(),
  happenedAt: instant,
  recordedAt: instant,
  acknowledged: z.boolean(),
  outcome: z.string().nullable(),
  lado: adultConcernClock,
  retention: z.object({ rule: z.string(), reviewOn: z.string(), explanation: z.string() }),
});

export const adultConcernListAnswer = z.object({
  concerns: list(adultConcernLine),
  /** Same adult, several low-level concerns: references only. */
  patterns: list(z.object({ references: list(z.string()), concernIds: list(z.string()) })),
});

export const adultConcernAnswer = adultConcernLine.extend({
  recordedByName: z.string(),
  acknowledgedBy: z.string().nullable(),
  details: z.object({
    adultName: z.string(),
    adultRole: z.string(),
    whatHappened: z.string(),
    location: z.string(),
  }),
  steps: list(z.object({ kind: z.string(), at: instant, byName: z.string(), note: z.string() })),
  outcomeDetail: z
    .object({ outcome: z.string(), date: z.string(), byName: z.string(), learning: z.string() })
    .nullable(),
});

/** A count as a report shows it: exact, "<5" (1 to 4) or "*" (hidden to protect a "<5"). */
const shownCount = z.union([z.number(), z.literal('<5'), z.literal('*')]);
const reportRow = z.object({
  label: z.string(),
  cells: list(shownCount),
  total: shownCount.optional(),
});

/** A report for a period: counts and statistics, never a name. */
export const reportAnswer = z.object({
  audience: z.enum(['full', 'governor']),
  schoolName: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  generatedAt: instant,
  headline: list(z.object({ label: z.string(), value: shownCount })),
  tables: list(
    z.object({
      id: z.string(),
      title: z.string(),
      columns: list(z.string()),
      rows: list(reportRow),
      totals: reportRow.optional(),
      chart: z.boolean(),
    }),
  ),
  timeliness: list(
    z.object({
      label: z.string(),
      measured: z.number().nullable(),
      waiting: z.number().nullable(),
      medianMinutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
      targetMinutes: z.number(),
      withinTarget: z.number().nullable(),
      overTarget: z.number().nullable(),
    }),
  ),
  suppressionNote: z.string().optional(),
});

/** An exported report as a file for the browser to save (base64: the route answers JSON). */
export const reportFileAnswer = z.object({
  fileName: z.string(),
  contentType: z.enum(['text/csv', 'application/pdf']),
  base64: z.string(),
});

export const reportTargetsAnswer = z.object({
  acknowledgeMinutes: z.number(),
  decideReferralHours: z.number(),
});
// Subject access requests (src/sar/) and the information-sharing log (src/sharing/).

const sarDecision = z.object({
  decision: z.string(),
  reason: z.string(),
  decidedByName: z.string(),
  decidedAt: instant,
});

/** A request in the register: who asks, for whom, its clock, the decisions and the response. */
const subjectAccessRequest = z.object({
  sarId: z.string(),
  reference: z.string(),
  pupilId: z.string(),
  pupilName: z.string(),
  requesterName: z.string(),
  relationship: z.string(),
  identityCheck: z.string(),
  scopeOfRequest: z.string(),
  receivedAt: instant,
  dueAt: instant,
  overdue: z.boolean(),
  status: z.enum(['open', 'extended', 'released', 'refused', 'withdrawn']),
  extension: z
    .object({ months: z.number(), reason: z.string(), requesterToldOn: z.string() })
    .nullable(),
  parentalResponsibility: sarDecision.nullable(),
  competence: sarDecision.nullable(),
  response: z.object({ text: z.string(), at: instant, byName: z.string() }).nullable(),
  loggedByName: z.string(),
  /** What still stops a release (the decisions a parent's request needs), in words. */
  releaseBlockers: list(z.string()),
});

export const sarAnswer = z.object({ request: subjectAccessRequest });
export const sarListAnswer = z.object({ requests: list(subjectAccessRequest) });

const redactionDecision = z.object({
  proposalId: z.string(),
  decision: z.enum(['redact', 'disclose']),
  exemption: z
    .enum(['third-party-data', 'serious-harm', 'crime-prevention', 'legal-privilege', 'other'])
    .optional(),
  otherText: z.string().optional(),
});

/** The bundle for review: its text, the proposed redactions in it, and the review so far. */
export const sarReviewAnswer = z.object({
  request: subjectAccessRequest,
  sections: list(
    z.object({
      sectionId: z.string(),
      heading: z.string(),
      paragraphs: list(z.object({ paragraphId: z.string(), label: z.string(), text: z.string() })),
    }),
  ),
  proposals: list(
    z.object({
      proposalId: z.string(),
      paragraphId: z.string(),
      start: z.number(),
      end: z.number(),
      kind: z.enum([
        'pupil',
        'linked-pupil',
        'staff',
        'adult',
        'agency',
        'email',
        'phone',
        'postcode',
        'manual',
      ]),
    }),
  ),
  decisions: list(redactionDecision),
  savedAt: instant.nullable(),
  savedByName: z.string().nullable(),
  undecided: z.number(),
  blockers: list(z.string()),
});

export const sarReviewSavedAnswer = z.object({
  draft: z.number(),
  savedAt: instant,
  decided: z.number(),
});

/** The response PDF (base64: every answer of the API is JSON), with its redactions burned in. */
export const sarResponsePdfAnswer = z.object({
  fileName: z.string(),
  pdfBase64: z.string(),
  redactions: z.number(),
});

const sharingEntry = z.object({
  entryId: z.string(),
  kind: z.enum(['disclosure', 'not-shared']),
  incidentId: z.string().nullable(),
  reference: z.string().nullable(),
  what: z.string(),
  recipient: z.string(),
  at: instant,
  why: z.string(),
  lawfulBasis: z.string().nullable(),
  decidedByName: z.string(),
  recordedByName: z.string(),
  recordedAt: instant,
  source: z.enum(['tab', 'referral', 'transfer']),
});

export const sharingEntryAnswer = z.object({ entry: sharingEntry });
export const sharingLogAnswer = z.object({ entries: list(sharingEntry) });
// Child protection file transfers (src/transfers): the team's view of a case and its sent log.
const transferPerson = z.object({ displayName: z.string() });

/** A transfer case for the team: the pupil, the destination, the clock, notice, sent log, receipt. */
export const transferAnswer = z.object({
  transferId: z.string(),
  pupilId: z.string(),
  state: z.enum(['awaiting-send', 'awaiting-receipt', 'received']),
  source: z.enum(['import', 'tab']),
  openedAt: instant,
  openedBy: transferPerson,
  leavingDate: z.string().optional(),
  destination: z.object({ schoolName: z.string().optional(), urn: z.string().optional() }),
  clockStartedAt: instant,
  dueBy: instant,
  overdue: z.boolean(),
  chasesDue: z.number(),
  notice: z.object({ at: instant, how: z.string(), by: transferPerson }).optional(),
  sent: list(
    z.object({
      sentAt: instant,
      sentBy: transferPerson,
      recipientName: z.string(),
      recipientSchool: z.string(),
      contents: z.object({
        records: z.number(),
        versions: z.number(),
        actions: z.number(),
        files: z.number(),
      }),
      sha256: z.string(),
      linkExpiresAt: instant,
    }),
  ),
  receipt: z
    .object({ name: z.string(), school: z.string(), role: z.string(), receivedAt: instant })
    .optional(),
});

export const transferListAnswer = z.object({ transfers: list(transferAnswer) });

/**
 * A package sent: the link for the receiving school and the one-time code, shown once to the
 * DSL to send by a second channel (phone, separate email); neither is stored in clear.
 */
export const transferSentAnswer = z.object({
  transfer: transferAnswer,
  downloadUrl: z.string(),
  oneTimeCode: z.string(),
  expiresAt: instant,
  sha256: z.string(),
});

/** A package from another school imported (or found already imported: `imported` false). */
export const transferImportedAnswer = z.object({
  imported: z.boolean(),
  packageId: z.string(),
  fromSchool: z.string(),
  records: z.number(),
  versions: z.number(),
  actions: z.number(),
  files: z.number(),
  otherPupilsNamed: z.number(),
  sen: z.boolean(),
});

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
