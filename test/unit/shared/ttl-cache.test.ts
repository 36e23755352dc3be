import { TtlCache } from '../../../src/shared/ttl-cache';

describe('the short-lived cache for directory lists', () => {
  let now = 0;
  const cache = () => new TtlCache<number>(1_000, () => now);

  it('when read twice within the TTL, then the store is asked once; after it, again', async () => {
    const c = cache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await c.get('k', load)).toBe(1);
    now += 999;
    expect(await c.get('k', load)).toBe(1);
    now += 1;
    expect(await c.get('k', load)).toBe(2);
  });

  it('when callers ask at once, then they share one load', async () => {
    const c = cache();
    let loads = 0;
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
    expect(await Promise.all([c.get('k', load), c.get('k', load)])).toEqual([1, 1]);
  });

  it('when a load fails, then it is not kept', async () => {
    const c = cache();
    await expect(c.get('k', () => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    expect(await c.get('k', async () => 7)).toBe(7);
  });

  it('when an entry is deleted (an edit), then the next read loads afresh', async () => {
    const c = cache();
    await c.get('k', async () => 1);
    c.delete('k');
    expect(await c.get('k', async () => 2)).toBe(2);
  });
});
