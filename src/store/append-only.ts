import type { Schema } from 'mongoose';
import { AppError, type ErrorCode } from '../shared/errors';

/** Every mongoose path that changes or removes stored documents. */
const CHANGING_OPERATIONS = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;

/**
 * Makes a model insert-and-read only: every update or delete through it throws `code`, so a later
 * feature cannot change a record, an amendment, an action or an audit event by accident.
 * Deliberate, narrow exceptions (key rotation) go below the model, on the driver's collection.
 */
export function refuseChanges(schema: Schema, code: ErrorCode, what: string): void {
  for (const op of CHANGING_OPERATIONS) {
    schema.pre(op, () => {
      throw new AppError(code, `${what} are immutable: ${op} refused`);
    });
  }
}
