import { RuntimeMetrics } from '../../../src/shared/runtime-metrics';

describe('RuntimeMetrics (the soak reads it on /devz/runtime)', () => {
  it('when the event loop is blocked for 300 ms, then that second records a delay of at least 250 ms', async () => {
    const metrics = new RuntimeMetrics(10, () => 1_000).start();
    try {
      // Let the monitor see a first, quiet tick, then block the loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // busy: nothing else runs
      }
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const snapshot = metrics.snapshot();
      expect(Math.max(...snapshot.seconds.map((s) => s.loopMaxMs))).toBeGreaterThanOrEqual(250);
      expect(snapshot.eventLoop.maxMs).toBeGreaterThanOrEqual(250);
      expect(snapshot.seconds[0]).toEqual(
        expect.objectContaining({ at: 1_000, rssMb: expect.any(Number) }),
      );
    } finally {
      metrics.stop();
    }
  });

  it('when more seconds pass than it keeps, then only the newest are kept (bounded)', async () => {
    const metrics = new RuntimeMetrics(1).start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      expect(metrics.snapshot().seconds).toHaveLength(1);
    } finally {
      metrics.stop();
    }
  });

  it('when asked, then the snapshot holds process figures only', () => {
    const metrics = new RuntimeMetrics();
    expect(Object.keys(metrics.snapshot()).sort()).toEqual(
      ['eventLoop', 'memoryMb', 'pid', 'seconds', 'uptimeSeconds'].sort(),
    );
  });
});
