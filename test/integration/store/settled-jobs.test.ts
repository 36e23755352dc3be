import type { Connection } from 'mongoose';
import { ActionJobRepository } from '../../../src/actions/action-job.repository';
import { AlertRepository } from '../../../src/alerts/alert.repository';
import { NEVER_DUE } from '../../../src/shared/clock';
import { syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, openTestStore } from '../../support/test-store';

/**
 * Settled clock jobs never come due again: earlier versions parked them a year ahead, so a
 * due-jobs pass read every settled job older than a year, more each year. They now sit at
 * NEVER_DUE, and the start-up moves the old ones there.
 */
const scope = { tenantId: 'tenant-1', schoolId: 'school-1' };
const settledAt = new Date('2025-01-10T09:00:00.000Z');
const aYearOn = new Date(settledAt.getTime() + 365 * 24 * 3_600_000);
const twoYearsOn = new Date(settledAt.getTime() + 2 * 365 * 24 * 3_600_000);

describe('settled clock jobs', () => {
  let connection: Connection;
  let alerts: AlertRepository;
  let actionJobs: ActionJobRepository;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    alerts = new AlertRepository(connection);
    actionJobs = new ActionJobRepository(connection);
    await syncAllIndexes(connection);
  });
  afterAll(() => dropTestStore(connection));

  const escalationJob = (incidentId: string, nextCheckAt: Date) => ({
    ...scope,
    incidentId,
    reference: `EPC-2025-${incidentId}`,
    pupilIds: ['pupil-1'],
    createdAt: settledAt,
    stepsDone: 2,
    nextCheckAt,
  });

  it('when earlier versions parked settled jobs a year ahead, then the start-up moves them to never due and open jobs stay due', async () => {
    await alerts.insertJob(escalationJob('acked', aYearOn));
    await alerts.updateJob(scope, 'acked', { teamAcknowledgedAt: settledAt });
    await alerts.insertJob(escalationJob('open', settledAt));
    const job = { ...scope, kind: 'task' as const, incidentId: 'i-1', actionId: 'a-1' };
    await actionJobs.insertJob({ ...job, jobId: 'settled', nextCheckAt: aYearOn });
    await actionJobs.updateJob('settled', { nextCheckAt: aYearOn, settledAt });
    await actionJobs.insertJob({ ...job, jobId: 'open', actionId: 'a-2', nextCheckAt: settledAt });

    expect(await alerts.parkSettledJobs()).toBe(1);
    expect(await actionJobs.parkSettledJobs()).toBe(1);

    expect((await alerts.dueJobs(twoYearsOn, 10)).map((j) => j.incidentId)).toEqual(['open']);
    expect((await actionJobs.dueJobs(twoYearsOn, 10)).map((j) => j.jobId)).toEqual(['open']);
    expect((await alerts.getJob(scope, 'acked'))?.nextCheckAt).toEqual(NEVER_DUE);
    expect((await alerts.getJob(scope, 'open'))?.nextCheckAt).toEqual(settledAt);
  });

  it('when run again, then nothing is left to move', async () => {
    expect(await alerts.parkSettledJobs()).toBe(0);
    expect(await actionJobs.parkSettledJobs()).toBe(0);
  });
});
