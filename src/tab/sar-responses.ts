import { z } from 'zod';
import { instant, list } from './response-parts';

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
