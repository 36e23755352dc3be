import { monitorEventLoopDelay } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

const MB = 1024 * 1024;
const NS_PER_MS = 1e6;

/** One second of this process's life: the worst event-loop delay and the memory at its end. */
export interface RuntimeSecond {
  /** Epoch ms at the end of the second (the host's clock: a soak on the same host lines them up). */
  readonly at: number;
  /** The longest the event loop was blocked in that second, ms. */
  readonly loopMaxMs: number;
  readonly rssMb: number;
  /** V8's heap as reserved (not just used), and memory outside it (Buffers): what RSS is made of. */
  readonly heapTotalMb: number;
  readonly externalMb: number;
}

/** What a soak or an operator reads: process figures only, never a record, name or id. */
export interface RuntimeSnapshot {
  readonly pid: number;
  readonly uptimeSeconds: number;
  readonly memoryMb: {
    readonly rss: number;
    readonly heapUsed: number;
    readonly heapTotal: number;
    readonly external: number;
    readonly arrayBuffers: number;
  };
  /** Event-loop delay since start-up (start-up itself included), ms. */
  readonly eventLoop: { readonly maxMs: number; readonly p99Ms: number; readonly meanMs: number };
  /** The last seconds, oldest first, so a reader can take the worst of any window of its own. */
  readonly seconds: readonly RuntimeSecond[];
}

/**
 * Watches the event loop (perf_hooks.monitorEventLoopDelay) and memory, a second at a time, so a
 * soak can ask "was the loop ever blocked over 200 ms while I pushed?" for its own window rather
 * than since start-up (seeding and index builds block it on purpose). The per-second ring is
 * bounded (15 minutes); the timer is unref'd and never keeps the process alive.
 */
export class RuntimeMetrics {
  private readonly total: IntervalHistogram;
  private readonly perSecond: IntervalHistogram;
  private readonly ring: RuntimeSecond[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keepSeconds = 900,
    private readonly wallNow: () => number = () => Date.now(),
  ) {
    this.total = monitorEventLoopDelay({ resolution: 10 });
    this.perSecond = monitorEventLoopDelay({ resolution: 10 });
  }

  start(): this {
    this.total.enable();
    this.perSecond.enable();
    this.timer = setInterval(() => this.tick(), 1_000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.total.disable();
    this.perSecond.disable();
  }

  snapshot(): RuntimeSnapshot {
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      memoryMb: {
        rss: round(memory.rss / MB),
        heapUsed: round(memory.heapUsed / MB),
        heapTotal: round(memory.heapTotal / MB),
        external: round(memory.external / MB),
        arrayBuffers: round(memory.arrayBuffers / MB),
      },
      eventLoop: {
        maxMs: round(this.total.max / NS_PER_MS),
        p99Ms: round(this.total.percentile(99) / NS_PER_MS),
        meanMs: round(this.total.mean / NS_PER_MS),
      },
      seconds: [...this.ring],
    };
  }

  private tick(): void {
    // An empty histogram reports its max as 0 (and its min as a huge number): 0 is right here.
    const memory = process.memoryUsage();
    this.ring.push({
      at: this.wallNow(),
      loopMaxMs: round(this.perSecond.max / NS_PER_MS),
      rssMb: round(memory.rss / MB),
      heapTotalMb: round(memory.heapTotal / MB),
      externalMb: round(memory.external / MB),
    });
    this.perSecond.reset();
    if (this.ring.length > this.keepSeconds) this.ring.shift();
  }
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : 0;
}
