import os from 'node:os';
import path from 'node:path';
import { linkProjectFolders } from '../bench/support/project-links';
import { benchDatabaseName, startBenchStore } from '../bench/support/store';
import { badInput } from './scenarios/bad-input';
import { killRecovery } from './scenarios/kill-recovery';
import { morningRush } from './scenarios/morning-rush';
import { formatResult, type ScenarioContext, type ScenarioResult } from './support/scenario';
import { readSoakEnv, type SoakEnv } from './support/soak-env';

/** A scenario the runner can choose by name (SOAK_ONLY). */
interface Scenario {
  readonly name: string;
  run(context: ScenarioContext, env: SoakEnv): Promise<ScenarioResult>;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'rush',
    run: (context, env) =>
      morningRush(context, {
        staff: env.rushStaff,
        durationMs: env.rushSeconds * 1_000,
        deskPollMs: env.deskPollSeconds * 1_000,
        history: env.rushHistory,
        deliveryTimeoutMs: 180_000,
      }),
  },
  { name: 'bad-input', run: (context, env) => badInput(context, { rounds: env.badInputRounds }) },
  {
    name: 'kill',
    run: (context, env) => killRecovery(context, { kills: env.kills, recoveryTimeoutMs: 120_000 }),
  },
];

/**
 * `npm run soak` (#18): runs each scenario against `node dist/main.js` instances on one embedded
 * store and prints its figures and a one-line verdict. Exit code 1 when a verdict failed, 2 when
 * the soak itself crashed. SOAK_QUICK=1 runs the small sizes the test suite uses.
 */
async function main(): Promise<number> {
  const env = readSoakEnv();
  // Compiled into dist-soak/, src/ looks for tools/ (the store's wrapper) two folders up.
  linkProjectFolders(path.resolve(__dirname, '..'));
  const chosen = SCENARIOS.filter((s) => !env.only || s.name.includes(env.only));
  const store = await startBenchStore(env.mongodbUri);
  const results: ScenarioResult[] = [];
  const started = performance.now();
  try {
    process.stdout.write(
      `safeguarding-teams soak${env.quick ? ' (SOAK_QUICK=1: small sizes)' : ''}\n` +
        `node ${process.version}, ${os.cpus().length} cpus, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n` +
        `store: ${store.description}\n`,
    );
    for (const scenario of chosen) {
      const context = {
        uri: store.uri,
        dbName: benchDatabaseName(`soak-${scenario.name}`),
        quick: env.quick,
      };
      const result = await scenario.run(context, env);
      results.push(result);
      process.stdout.write(`${formatResult(result)}\n`);
    }
  } finally {
    await store.stop();
  }
  const failed = results.filter((r) => !r.passed);
  process.stdout.write(
    `\n${results.length} scenario(s) in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `${failed.length === 0 ? 'all passed' : `failed: ${failed.map((r) => r.name.split(':')[0]).join(', ')}`}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

// Ctrl-C or a kill: exit, so the instances' exit hook (support/app-instance.ts) stops them.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
