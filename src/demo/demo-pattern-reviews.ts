import type { AccessActor } from '../access';
import type { PatternService } from '../patterns';
import { DEMO_DSL_NAME, DEMO_STAFF } from './demo-staff';

const DAY_MS = 86_400_000;

/** The demo DSL, who reviews the past year's pattern flags. */
export const DEMO_DSL_ID = DEMO_STAFF.find((m) => m.displayName === DEMO_DSL_NAME)!.aadObjectId;

type FlagReviewer = Pick<PatternService, 'openFlags' | 'markReviewed'>;

/**
 * The past year's pattern flags as a DSL would have left them: each reviewed the day after it
 * was raised, except those of the last few days (the review lag) and those of the busiest pupil,
 * which wait for `reviewAllButLatest`. Called as the history walks forward, so each review
 * happens at a moment of the past, after its flag.
 */
export async function reviewPastPatternFlags(
  patterns: FlagReviewer,
  dsl: AccessActor,
  now: Date,
  reviewedBefore: Date,
  heldPupilId: string | undefined,
): Promise<void> {
  const cutOff = Math.min(now.getTime() - DAY_MS, reviewedBefore.getTime());
  for (const flag of await patterns.openFlags(dsl, 1_000)) {
    if (flag.raisedAt.getTime() >= cutOff || flag.pupilId === heldPupilId) continue;
    await patterns.markReviewed(dsl, flag.flagId);
  }
}

/**
 * At the end of the history: the busiest pupil's flags are reviewed but the latest, so the demo
 * desk always opens on a rule that fired for one of its busy pupils, whatever day it is seeded.
 */
export async function reviewAllButLatest(
  patterns: FlagReviewer,
  dsl: AccessActor,
  pupilId: string,
): Promise<void> {
  const flags = (await patterns.openFlags(dsl, 1_000))
    .filter((f) => f.pupilId === pupilId)
    .sort((a, b) => b.raisedAt.getTime() - a.raisedAt.getTime());
  for (const flag of flags.slice(1)) await patterns.markReviewed(dsl, flag.flagId);
}
