import { z } from 'zod';
import { instant, list } from './response-parts';
import { transferPackageSchema } from '../transfers/transfer-package.schema';

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

/**
 * An upload checked before anything is kept: what it holds, the child as the sending school
 * named them, and the pupils on our roll it may be (the team confirms one; none is chosen for it).
 */
export const transferImportCheckAnswer = z.object({
  summary: transferImportedAnswer,
  exportedAt: z.string(),
  sentPupil: z.object({
    legalFirstName: z.string(),
    legalLastName: z.string(),
    preferredFirstName: z.string().optional(),
    preferredLastName: z.string().optional(),
    dateOfBirth: z.string(),
    upn: z.string().optional(),
    yearGroup: z.string(),
  }),
  proposals: list(
    z.object({
      pupilId: z.string(),
      displayName: z.string(),
      yearGroup: z.string(),
      dateOfBirth: z.string(),
      matchedOn: list(z.enum(['upn', 'name', 'date-of-birth'])),
    }),
  ),
  alreadyImported: z.boolean(),
});

/** A record another school sent, read-only, as it arrived (the format's own record shape). */
export const transferredRecordAnswer = z.object({
  packageId: z.string(),
  pupilId: z.string(),
  fromSchool: z.string(),
  exportedAt: instant,
  receivedAt: instant,
  importedByName: z.string(),
  provenance: z.string(),
  record: transferPackageSchema.shape.records.element,
  otherPupilsNamed: list(z.object({ displayName: z.string(), note: z.string() })),
});

/** A transferred record's file, verified against the sending school's SHA-256. */
export const transferredFileAnswer = z.object({
  fileName: z.string(),
  contentType: z.string(),
  base64: z.string(),
});
