import { z } from 'zod';

/**
 * The transfer package, format 1: everything a school holds on one child's safeguarding, as open
 * JSON. This zod schema is the runtime check (an import refuses anything else); the JSON Schema
 * other vendors read (docs/transfer-format/) is generated from it and a test keeps the two equal.
 * Additive changes bump the minor version; a reader accepts any 1.x it knows the fields of.
 */

export const TRANSFER_FORMAT = 'safeguarding-transfer';
export const TRANSFER_FORMAT_VERSION = '1.0.0';

const instant = z.iso.datetime().meta({ description: 'An instant, ISO 8601 in UTC (Z).' });
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ description: 'A date, YYYY-MM-DD.' });
const text = z.string().max(100_000);
const short = z.string().max(500);
const person = z
  .object({ displayName: short, roles: z.array(short).optional() })
  .strict()
  .meta({ description: 'A member of staff at the sending school, by name.' });
const named = z.object({ id: short, name: short }).strict();

const bodyMapEntry = z
  .object({ region: short, side: short, laterality: short, description: text })
  .strict();

/** A record's content: as submitted (version 1), or as it reads after its amendments. */
const recordContent = z
  .object({
    happenedAt: instant,
    transcribedFromPaper: z.boolean(),
    location: text,
    facts: text,
    childsWords: text.meta({ description: "The child's own words (CAPITALS by policy)." }),
    adultsWords: text,
    leadingQuestionNote: text,
    opinion: text.meta({ description: 'Opinion, kept apart from the facts.' }),
    actionTaken: text,
    actionRequired: text,
    categories: z.array(named),
    agencies: z.array(named),
    bodyMap: z.array(bodyMapEntry),
  })
  .strict();

const amendment = z
  .object({
    version: z.number().int().min(2),
    amendedAt: instant,
    amendedBy: person,
    reason: text,
    changedFields: z.array(short),
    changes: z.record(z.string(), z.unknown()).meta({
      description: 'The new values only (dates as ISO strings, lists as ids).',
    }),
  })
  .strict();

const action = z
  .object({
    actionId: short,
    sequence: z.number().int().min(1),
    kind: z.enum(['note', 'conversation', 'phone-call', 'meeting', 'referral', 'decision', 'task']),
    happenedAt: instant,
    recordedAt: instant,
    author: person,
    text: text.meta({ description: 'The action as written: the conversation, the meeting…' }),
    details: z.record(z.string(), z.unknown()).meta({
      description:
        'Kind-specific: with (conversation, phone-call), agencyName/agencyReference/referredAt ' +
        '(referral), outcome/reason (decision), assignee/dueDate (task), minutes (meeting).',
    }),
    completedAt: instant.optional(),
  })
  .strict();

const caseStatusChange = z
  .object({
    sequence: z.number().int().min(1),
    status: z.enum(['closed', 'reopened']),
    at: instant,
    by: person,
    outcomeActionId: short.optional(),
    reason: text.optional(),
  })
  .strict();

const file = z
  .object({
    fileId: short,
    name: short,
    uploadedAt: instant,
    uploadedBy: person,
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    path: z
      .string()
      .regex(/^files\/[A-Za-z0-9._-]+$/)
      .meta({
        description: 'Where the file is in the archive.',
      }),
  })
  .strict();

const record = z
  .object({
    incidentId: short,
    reference: short.meta({ description: "The sending school's reference, e.g. EPC-2026-00042." }),
    pupilRole: z.enum(['subject', 'linked']).meta({
      description: 'Whether the record is about this child, or names them as linked.',
    }),
    linkedRole: short.optional(),
    recordedAt: instant,
    recordedBy: person,
    original: recordContent.meta({ description: 'Version 1: the record as submitted.' }),
    amendments: z.array(amendment),
    current: recordContent.meta({
      description: 'The record as amended (equal to original if none).',
    }),
    actions: z.array(action),
    caseStatus: z.array(caseStatusChange),
    status: z.enum(['open', 'closed']),
    files: z.array(file),
  })
  .strict();

const statusChange = z
  .object({
    sequence: z.number().int().min(1),
    changedAt: instant,
    changedBy: person,
    source: z.enum(['tab', 'import']),
    changedFields: z.array(short),
    reason: text,
    status: z.record(z.string(), z.unknown()).meta({
      description: 'The status after this change: plans, care, needs, NHS number.',
    }),
  })
  .strict();

const otherPupil = z
  .object({
    pupilId: short,
    displayName: short,
    incidentIds: z.array(short),
    note: short,
  })
  .strict()
  .meta({
    description:
      'Another child named in these records: kept, and flagged for the receiving DSL to decide ' +
      'what their own records need (never silently removed).',
  });

/** A whole package. */
export const transferPackageSchema = z
  .object({
    format: z.literal(TRANSFER_FORMAT),
    version: z.string().regex(/^1\.\d+\.\d+$/),
    packageId: short,
    exportedAt: instant,
    from: z.object({ schoolName: short, schoolId: short, urn: short.optional() }).strict(),
    to: z.object({ schoolName: short, urn: short.optional(), recipientName: short }).strict(),
    pupil: z
      .object({
        misId: short,
        upn: short.optional(),
        legalFirstName: short,
        legalLastName: short,
        preferredFirstName: short.optional(),
        preferredLastName: short.optional(),
        dateOfBirth: day,
        yearGroup: short,
        form: short.optional(),
        leavingDate: day.optional(),
      })
      .strict(),
    flags: z
      .object({
        sen: z.boolean().meta({ description: 'EHCP or SEN support: the SENCO should know.' }),
        childProtectionPlan: z.boolean(),
        childInNeed: z.boolean(),
        lookedAfter: z.boolean(),
      })
      .strict(),
    statusHistory: z.array(statusChange),
    records: z.array(record),
    chronology: z.array(
      z
        .object({
          at: instant,
          type: z.enum(['incident', 'action', 'amendment', 'file']),
          incidentId: short,
          reference: short,
          summary: short,
        })
        .strict(),
    ),
    otherPupilsNamed: z.array(otherPupil),
  })
  .strict();

/** A package as the schema reads it. */
export type TransferPackage = z.infer<typeof transferPackageSchema>;
