import { refusalOf } from '../../../src/bot/refusals';
import { AppError } from '../../../src/shared/errors';

describe('what the bot says when a feature refuses', () => {
  it('when a refusal the person can act on is thrown, then it has a message and its code', () => {
    expect(refusalOf(new AppError('ACCESS.DENIED', 'not on the team'))).toEqual({
      code: 'ACCESS.DENIED',
      message: 'That is only available to the safeguarding team.',
    });
  });

  it('when a file card refusal is thrown, then the file flow’s message is used', () => {
    expect(refusalOf(new AppError('FILE.NOT_FOUND', 'no pending file'))?.message).toBe(
      'That file is no longer waiting to be added. Please send it to me again.',
    );
  });

  it('when a fault is thrown, then it is no refusal and goes on as an error', () => {
    expect(refusalOf(new AppError('INCIDENT.REFERENCE_EXHAUSTED', 'full'))).toBeUndefined();
    expect(refusalOf(new AppError('STORE.UNAVAILABLE', 'away'))).toBeUndefined();
    expect(refusalOf(new Error('boom'))).toBeUndefined();
  });
});
