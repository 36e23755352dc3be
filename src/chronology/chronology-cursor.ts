import { z } from 'zod';
import { AppError } from '../shared/errors';
import type { ChronologyPosition } from './chronology.types';

const cursorSchema = z.object({
  h: z.number().int(),
  e: z.string().min(1).max(200),
});

/** An opaque cursor for the entry a page ended at (its position, never an offset). */
export function encodeCursor(position: ChronologyPosition): string {
  const json = JSON.stringify({ h: position.happenedAt.getTime(), e: position.entryId });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Reads a cursor a client sent back; anything else is a bad request, not a crash. */
export function decodeCursor(cursor: string): ChronologyPosition {
  const bad = (cause?: unknown) =>
    new AppError('CHRONOLOGY.BAD_CURSOR', 'the paging cursor is not valid', { cause });
  if (cursor.length > 400) throw bad();
  try {
    const parsed = cursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { happenedAt: new Date(parsed.h), entryId: parsed.e };
  } catch (error) {
    throw bad(error);
  }
}
