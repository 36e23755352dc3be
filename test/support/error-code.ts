import { AppError } from '../../src/shared/errors';

/**
 * The AppError code a promise is refused with, or undefined when it succeeds. Any other error is
 * rethrown, so a crash never passes for a refusal.
 */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}
