import { badInput } from '../../../soak/scenarios/bad-input';
import { killRecovery } from '../../../soak/scenarios/kill-recovery';
import { morningRush } from '../../../soak/scenarios/morning-rush';
import { formatResult, type ScenarioResult } from '../../../soak/support/scenario';
import { testDatabaseName, testStoreUri } from '../../support/test-store';

/**
 * `npm run soak` at small sizes (issue 18 parts 7 and 8): each scenario against real
 * `node dist/main.js` instances on the run's store. Correctness (nothing lost, stored twice or
 * stored from bad input; every alert once; the process up) must hold; speed and memory targets
 * are printed, and enforced only by the full soak (a shared two-core machine makes them noise
 * here, as the bench's quick mode does).
 */
describe('the soak, small (node dist/main.js on the test store)', () => {
  const context = () => ({
    uri: testStoreUri(),
    dbName: testDatabaseName(__filename),
    quick: true,
  });
  const report = (result: ScenarioResult) => process.stdout.write(`${formatResult(result)}\n`);

  it('when 6 staff submit on two instances while the team polls the desk, then every record is stored once, audited and alerted to each of the team once', async () => {
    const result = await morningRush(context(), {
      staff: 6,
      durationMs: 10_000,
      deskPollMs: 3_000,
      history: false,
      deliveryTimeoutMs: 60_000,
    });
    report(result);
    expect(result.checksFailed).toBe(false);
    expect(result.passed).toBe(true);
    expect(result.figures.map(([label]) => label)).toEqual(
      expect.arrayContaining(['submit p50 / p95 / max', 'instance A event-loop max (rush)']),
    );
  }, 300_000);

  it('when the hostile catalogue is replayed concurrently, then each request is refused clearly, nothing is stored and the process stays up', async () => {
    const result = await badInput(context(), { rounds: 1 });
    report(result);
    expect(result.verdict).toBe('PASS');
  }, 300_000);

  it('when instance A is killed during a submit and the form is sent again to B, then there is one record, audited, alerted once', async () => {
    const result = await killRecovery(context(), { kills: 1, recoveryTimeoutMs: 90_000 });
    report(result);
    expect(result.checksFailed).toBe(false);
  }, 300_000);
});
