import os from 'node:os';
import path from 'node:path';
import { readBenchEnv } from './support/bench-env';
import type { Benchmark } from './support/benchmark';
import { heading, line } from './support/print';
import { linkProjectFolders } from './support/project-links';
import { startBenchStore } from './support/store';
import { agedSchool } from './aged-school';
import { chronologyFirstPage } from './chronology';
import { deliverAlerts } from './deliver-alerts';
import { deskFirstPaint } from './desk-first-paint';
import { governorReport } from './governor-report';
import { submitIncidents } from './submit-incidents';

/**
 * `npm run bench`: runs each benchmark in turn on one shared store and prints a block of figures
 * per benchmark. Speed targets live here, never in timed unit tests. Add a benchmark by writing
 * bench/<name>.ts exporting a Benchmark and listing it below. Exit codes: 2 when a benchmark
 * crashed; 1 when its correctness checks failed in quick mode, or a target was missed with
 * BENCH_STRICT=1 (not in quick mode, where targets are only reported); else 0.
 */
const BENCHMARKS: readonly Benchmark[] = [
  submitIncidents,
  deliverAlerts,
  chronologyFirstPage,
  agedSchool,
  governorReport,
  deskFirstPaint,
];

async function main(): Promise<number> {
  const env = readBenchEnv();
  linkProjectFolders(path.resolve(__dirname, '..'));
  const chosen = BENCHMARKS.filter((b) => !env.only || b.name.includes(env.only));
  if (chosen.length === 0) {
    line(
      `No benchmark matches BENCH_ONLY=${env.only}: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
    return 2;
  }

  const started = Date.now();
  const store = await startBenchStore(env.mongodbUri);
  const failed: string[] = [];
  const broken: string[] = [];
  try {
    heading('safeguarding-teams benchmarks');
    line(
      `node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ` +
        `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.platform()} ${os.release()}`,
    );
    line(`store: ${store.description}`);
    line(`load average before: ${loadAverage()} (other work on this machine skews the figures)`);
    if (env.quick) {
      line('BENCH_QUICK=1: small sizes, a minute or two; targets are reported, not enforced');
    }
    line(
      `settings: BENCH_USERS=${env.users} BENCH_SUBMISSIONS=${env.submissions} BENCH_ROUNDS=${env.rounds} ` +
        `BENCH_WARMUP=${env.warmup} BENCH_HISTORY=${env.history} BENCH_APP_LOG_LEVEL=${env.appLogLevel}` +
        `${env.strict ? ' BENCH_STRICT=1' : ''}`,
    );
    for (const benchmark of chosen) {
      const outcome = await benchmark.run({ env, store });
      if (outcome.passed === false) failed.push(benchmark.name);
      if (outcome.checksFailed) broken.push(benchmark.name);
    }
  } finally {
    await store.stop();
  }
  line();
  line(`load average after: ${loadAverage()}`);
  line(
    `${chosen.length} benchmark(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      (failed.length ? `targets missed: ${failed.join(', ')}` : 'all targets met') +
      (env.quick && failed.length ? ' (quick mode: not enforced)' : '') +
      (broken.length ? `; checks failed: ${broken.join(', ')}` : ''),
  );
  if (env.quick) return broken.length > 0 ? 1 : 0;
  return failed.length > 0 && env.strict ? 1 : 0;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
