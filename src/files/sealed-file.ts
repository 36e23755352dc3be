import { AppError } from '../shared/errors';

/** A file's bytes are bound to its id: bytes copied under another file fail to open. */
export function fileContext(fileId: string): string {
  return `file:${fileId}`;
}

/**
 * Bytes that fail to open were altered at rest: to readers of a file store that is corruption,
 * whatever layer noticed, so the store keeps its contract (FILE.NOT_FOUND or FILE.CORRUPT).
 */
export async function openedOrCorrupt<T>(fileId: string, opening: Promise<T>): Promise<T> {
  try {
    return await opening;
  } catch (error) {
    throw asCorrupt(fileId, error);
  }
}

/** The same for a stream of opened bytes: its failure at the end becomes FILE.CORRUPT. */
export async function* corruptOnFailure(
  fileId: string,
  opened: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  try {
    yield* opened;
  } catch (error) {
    throw asCorrupt(fileId, error);
  }
}

function asCorrupt(fileId: string, error: unknown): unknown {
  if (
    error instanceof AppError &&
    (error.code === 'ENCRYPTION.OPEN_FAILED' || error.code === 'ENCRYPTION.UNSUPPORTED_FORMAT')
  ) {
    return new AppError('FILE.CORRUPT', `file ${fileId} does not open: altered at rest`, {
      cause: error,
    });
  }
  return error;
}
