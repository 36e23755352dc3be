import { z } from 'zod';

// Card data is checked as unknown at each verb: any client can post anything.

/** Ids we mint (drafts, alerts, records, actions) are UUIDs. */
export const uuidSchema = z.uuid();
/** Pupil ids come from the school's MIS export: a short token, never free text. */
export const pupilIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);
/** The chronology's opaque paging cursor, when there is one. */
export const cursorSchema = z.string().min(1).max(400).optional();
