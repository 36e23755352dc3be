import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) by where the code lives, and by function; biggest first. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly byPlace: { place: string; ms: number }[];
  readonly byFunction: { fn: string; ms: number }[];
}

/**
 * Samples this process's CPU (V8's sampling profiler, in-process through the inspector) while a
 * phase runs; writes a .cpuprofile Chrome DevTools can open and returns a summary.
 */
export async function profileCpu<T>(
  file: string,
  work: () => Promise<T>,
): Promise<{ value: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    fs.writeFileSync(file, JSON.stringify(profile));
    return { value, summary: summarizeProfile(profile) };
  } finally {
    session.disconnect();
  }
}

function summarizeProfile(profile: Profile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    const place = placeOf(frame.url, frame.functionName);
    total += us;
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const top = <K extends string>(m: Map<string, number>, key: K) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ [key]: k, ms: us / 1000 }) as { [P in K]: string } & { ms: number });
  return {
    totalMs: total / 1000,
    byPlace: top(byPlace, 'place'),
    byFunction: top(byFunction, 'fn'),
  };
}

/** node_modules package, project folder, node internals, or V8's own pseudo-frames. */
function placeOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) {
    const parts = own[2]!.split('/');
    return `${own[1]}/${parts.length > 1 ? parts[0] : parts[0]!.replace(/\.js$/, '')}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  return url;
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.*)$/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:src|bench)\/.*)$/.exec(url);
  return own ? own[1]! : url;
}
