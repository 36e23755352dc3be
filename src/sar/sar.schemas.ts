import { z } from 'zod';
import { CHILD_COMPETENCE, PARENTAL_RESPONSIBILITY, SAR_RELATIONSHIPS } from './sar.types';
import { EXEMPTIONS } from './redaction.types';

const text = (what: string, max: number) =>
  z
    .string({ error: `Say ${what}.` })
    .trim()
    .min(1, `Say ${what}.`)
    .max(max, `${capitalise(what)} is longer than ${max.toLocaleString('en-GB')} characters.`);

/** A request as the team logs it in the tab. */
export const sarRegistrationSchema = z.object({
  /** From the form: a double click logs one request. */
  requestKey: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'The form is out of date; open it again.'),
  pupilId: z.string().min(1, 'Choose the pupil the request is about.').max(100),
  requesterName: text('who is asking', 200),
  relationship: z.enum(SAR_RELATIONSHIPS, {
    error: 'Say how the requester is related to the pupil.',
  }),
  identityCheck: text('how the requester’s identity was checked', 1_000),
  scopeOfRequest: text('what the requester asked for', 4_000),
  receivedAt: z.coerce.date({ error: 'Give the date the request was received.' }),
});

/** A complex request is extended by one or two months; the requester must be told, and when. */
export const sarExtensionSchema = z.object({
  months: z.union([z.literal(1), z.literal(2)], { error: 'Extend by one or two months.' }),
  reason: text('why the request is complex', 2_000),
  requesterToldOn: z
    .string({ error: 'Give the date the requester was told of the extension.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the date the requester was told of the extension.'),
});

/** The two decisions a parent's request needs, each with its reason. */
export const sarDecisionSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('parental-responsibility'),
      decision: z.enum(PARENTAL_RESPONSIBILITY, {
        error: 'Say whether the requester holds parental responsibility.',
      }),
      reason: text('the reason for the decision', 2_000),
    }),
    z.object({
      kind: z.literal('competence'),
      decision: z.enum(CHILD_COMPETENCE, {
        error: 'Say whether the child is competent to decide, and what they decided.',
      }),
      reason: text('the reason for the decision', 2_000),
    }),
  ],
  { error: 'Say which decision this is.' },
);

/** Closing a request: released (the bundle was sent), refused or withdrawn, with the response. */
export const sarCloseSchema = z.object({
  status: z.enum(['released', 'refused', 'withdrawn'], {
    error: 'Say whether the request was released, refused or withdrawn.',
  }),
  response: text('what was sent or why nothing was', 4_000),
});

/** Decisions on proposed redactions, as the review page saves them (a few at a time). */
export const redactionDecisionsSchema = z.object({
  decisions: z
    .array(
      z
        .object({
          proposalId: z.string().regex(/^[0-9a-f]{20}$/, 'That proposal is not in this bundle.'),
          decision: z.enum(['redact', 'disclose', 'undecided']),
          exemption: z.enum(EXEMPTIONS).optional(),
          otherText: z
            .string()
            .trim()
            .max(500, 'The exemption is longer than 500 characters.')
            .optional(),
        })
        .superRefine((d, ctx) => {
          if (d.decision === 'redact' && !d.exemption) {
            ctx.addIssue({ code: 'custom', message: 'Give the exemption for each redaction.' });
          }
          if (d.decision === 'redact' && d.exemption === 'other' && !d.otherText) {
            ctx.addIssue({ code: 'custom', message: 'Say which exemption applies ("other").' });
          }
        }),
    )
    .max(2_000, 'Too many decisions at once.'),
  /** Words the DSL withholds by hand, each with its exemption. */
  add: z
    .array(
      z
        .object({
          paragraphId: z.string().min(1).max(200),
          text: z.string().min(1, 'Say which words to withhold.').max(2_000),
          occurrence: z.number().int().min(1).max(10_000),
          exemption: z.enum(EXEMPTIONS, { error: 'Give the exemption for each redaction.' }),
          otherText: z.string().trim().max(500).optional(),
        })
        .refine((a) => a.exemption !== 'other' || !!a.otherText, {
          message: 'Say which exemption applies ("other").',
        }),
    )
    .max(100, 'Too many redactions at once.')
    .default([]),
});

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
