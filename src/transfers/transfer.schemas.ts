import { z } from 'zod';

/** A URN: six digits (Get Information about Schools). */
const urnSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'a URN is six digits');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'a real date');

/** The team opens a transfer in the tab. */
export const openTransferSchema = z.object({
  pupilId: z.string().min(1).max(64),
  leavingDate: isoDate.optional(),
  destinationSchool: z.string().trim().max(200).optional(),
  destinationUrn: urnSchema.optional(),
});

/** The team records how and when the next school was told. */
export const advanceNoticeSchema = z.object({
  how: z.string().trim().min(1, 'say how the next school was told').max(300),
  /** When they were told; now when left out (never the future). */
  at: z.coerce.date().optional(),
});

/** The team sends the package: to whom (the receiving DSL) and where. */
export const sendTransferSchema = z.object({
  recipientName: z.string().trim().min(1, 'name the receiving DSL').max(200),
  recipientSchool: z.string().trim().min(1, 'name the receiving school').max(200),
  destinationUrn: urnSchema.optional(),
});

/** The receiving DSL's receipt, from the download page's form. */
export const receiptFormSchema = z.object({
  code: z.string().trim().min(1, 'type the one-time code').max(64),
  name: z.string().trim().min(1, 'type your name').max(200),
  school: z.string().trim().min(1, 'type your school').max(200),
  role: z.string().trim().min(1, 'type your role').max(200),
});
