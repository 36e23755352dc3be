import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';

const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const PUPIL = 'EP1001';
const STEP_UP = { acrs: ['c1'] };
const NO_STATUS = UNKNOWN_STATUS;

describe('pupil status in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let tab: TabApiApp;

  const call = (
    method: 'GET' | 'PUT',
    oid: string,
    claims: Record<string, unknown>,
    body?: unknown,
  ) => tab.call(method, `pupils/${PUPIL}/status`, oid, claims, body);

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
  });
  afterAll(() => tab?.stop());

  it('when a teacher asks for a pupil status, then 403', async () => {
    expect((await call('GET', SAM, STEP_UP)).status).toBe(403);
  });

  it('when the DSL has not stepped up, then 401 with the claims challenge', async () => {
    const answer = await call('GET', PRIYA, {});
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('ACCESS.STEP_UP_REQUIRED');
  });

  it('when the DSL saves a change without an NHS number or a reason for its absence, then 400 says what to do', async () => {
    const answer = await call('PUT', PRIYA, STEP_UP, {
      status: { ...NO_STATUS, childInNeed: true },
      reason: 'Child in need plan agreed',
    });
    expect(answer).toEqual({
      status: 400,
      body: {
        code: 'PUPIL_STATUS.INVALID',
        message: 'Give the NHS number, or say why there is none.',
      },
    });
  });

  it('when the DSL saves a change, then it reads back with who changed it and why', async () => {
    const saved = await call('PUT', PRIYA, STEP_UP, {
      status: { ...NO_STATUS, childInNeed: true, nhsNumber: '943 476 5919' },
      reason: 'Child in need plan agreed',
    });
    expect(saved).toEqual({ status: 200, body: { sequence: 1, changed: true } });
    const read = await call('GET', PRIYA, STEP_UP);
    expect(read.status).toBe(200);
    expect(read.body.status).toEqual({ ...NO_STATUS, childInNeed: true, nhsNumber: '9434765919' });
    expect(read.body.history).toEqual([
      expect.objectContaining({
        sequence: 1,
        changedByName: 'Priya Shah',
        reason: 'Child in need plan agreed',
        changedFields: ['childInNeed', 'nhsNumber'],
        source: 'tab',
      }),
    ]);
    // Only what the contract names leaves the server.
    expect(Object.keys(read.body.history[0]).sort()).toEqual(
      ['changedAt', 'changedByName', 'changedFields', 'reason', 'sequence', 'source'].sort(),
    );
  });

  it('when statuses are read and changed, then no NHS number, reason or status reaches the log', () => {
    const lines = log.lines.join('\n');
    expect(lines).not.toContain('9434765919');
    expect(lines).not.toContain('Child in need plan');
  });
});
