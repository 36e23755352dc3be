import { z } from 'zod';

// Zod only, like every answer file: the tab client type-checks these in the browser's build.

/** A Date on the server, an ISO string on the wire (strings pass, as already-serialised). */
export const instant = z.union([z.date().transform((d) => d.toISOString()), z.iso.datetime()]);

/** Read-only on both sides: services hand out readonly arrays; the client never edits an answer. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
