import { WriteLane } from '../../../src/alerts/write-lane';

describe('the write lane', () => {
  it('when writes are asked for at once, then they run one after another in the order asked', async () => {
    const lane = new WriteLane();
    const log: string[] = [];
    const write = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });

    const results = await Promise.all([
      lane.run(write('a', 30)),
      lane.run(write('b', 1)),
      lane.run(write('c', 10)),
    ]);

    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('when a write fails, then only its caller sees the failure and the next write still runs', async () => {
    const lane = new WriteLane();
    const failed = lane.run(() => Promise.reject(new Error('duplicate key')));
    const next = lane.run(() => Promise.resolve('written'));

    await expect(failed).rejects.toThrow('duplicate key');
    await expect(next).resolves.toBe('written');
  });

  it('when idle is awaited, then every write asked for has finished', async () => {
    const lane = new WriteLane();
    let done = 0;
    for (let i = 0; i < 3; i++) {
      void lane.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done++;
      });
    }
    expect(lane.pending).toBe(3);

    await lane.idle();

    expect(done).toBe(3);
    expect(lane.pending).toBe(0);
  });
});
