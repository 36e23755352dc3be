import type { ImportedStatus } from '../pupil-status';
import type { HistoryPlan } from './demo-history-plan';

/** What the demo's MIS export says of its most-discussed pupils, most concerns first. */
const STATUSES: readonly ImportedStatus[] = [
  { childProtectionPlan: true, freeSchoolMeals: true, pupilPremium: true },
  { childInNeed: true, youngCarer: true, freeSchoolMeals: true },
  { lookedAfter: 'looked-after', pupilPremium: true, senSupport: true },
  { lookedAfter: 'previously-looked-after', pupilPremium: true },
  { childInNeed: true, eal: true },
  { ehcp: true, alternativeProvision: true },
  { senSupport: true, freeSchoolMeals: true },
  { eal: true },
];

/**
 * NHS numbers in the range NHS England sets aside for testing (999 …), with a valid check
 * digit, so the demo shows the identifier without any real child's number.
 */
function testNhsNumber(index: number): string {
  for (let n = index * 7; ; n += 1) {
    const first9 = `999${String(100_000 + n).slice(-6)}`;
    const sum = [...first9].reduce((total, d, i) => total + Number(d) * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${first9}${check}`;
  }
}

/**
 * The statuses the demo history gives its pupils with the most concerns, as the pupils CSV's
 * status columns would: plans, care, needs and an NHS number (one pupil has none, with why).
 */
export function demoStatusLines(plan: HistoryPlan): { pupilId: string; status: ImportedStatus }[] {
  const concerns = new Map<string, number>();
  for (const step of plan.steps) {
    const pupilId = step.kind === 'record' ? step.values.pupilId : undefined;
    if (pupilId) concerns.set(pupilId, (concerns.get(pupilId) ?? 0) + 1);
  }
  const busiest = [...concerns.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, STATUSES.length);
  return busiest.map(([pupilId], i) => ({
    pupilId,
    status: {
      ...STATUSES[i],
      ...(i === 4
        ? { nhsNumberMissingReason: 'Arrived from overseas; GP registration in progress.' }
        : { nhsNumber: testNhsNumber(i) }),
    },
  }));
}
