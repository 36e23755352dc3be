import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic clock (never jumps with NTP). */
export function nowMs(): number {
  return performance.now();
}

/**
 * Starts `count` workers together and waits for all of them: the simulated concurrent users.
 * A failing worker does not stop the others; the first failure is rethrown once all have ended.
 */
export async function runWorkers<T>(
  count: number,
  worker: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => worker(i)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** CPU and event-loop figures of this process over a phase of the benchmark. */
export interface ProcessLoad {
  /** user + system CPU time of this process as a share of one core over the phase. */
  readonly cpuShareOfOneCore: number;
  /** Share of the phase the event loop was busy (1 = JavaScript never waited for I/O). */
  readonly eventLoopUtilization: number;
}

/** Starts measuring this process's CPU and event loop; call the result to read the figures. */
export function measureProcessLoad(): () => ProcessLoad {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const start = nowMs();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = nowMs() - start;
    return {
      cpuShareOfOneCore: (used.user + used.system) / 1000 / wallMs,
      eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
    };
  };
}
