import { evaluateRecord, schoolDayNumber } from '../../../src/patterns/pattern-evaluation';
import { DEFAULT_PATTERN_RULES, describeRule } from '../../../src/patterns';
import type { PatternRecord, PatternRule } from '../../../src/patterns/pattern.types';

const DAY = 86_400_000;
const T0 = new Date('2026-11-02T10:00:00Z');
const threeIn30: PatternRule = { ruleId: 'three', kind: 'concerns-in-days', count: 3, days: 30 };
const twoInCategory7: PatternRule = {
  ruleId: 'cat',
  kind: 'category-in-days',
  count: 2,
  days: 7,
};
const onPlan: PatternRule = {
  ruleId: 'cp',
  kind: 'concern-with-status',
  status: 'childProtectionPlan',
  days: 1,
};

let n = 0;
function aRecord(at: Date, categoryIds = ['behaviour'], pupilId = 'P1'): PatternRecord {
  n++;
  return {
    incidentId: `i-${n}`,
    reference: `EPC-2026-${String(n).padStart(5, '0')}`,
    pupilId,
    happenedAt: at,
    recordedAt: at,
    categoryIds,
  };
}
const after = (ms: number) => new Date(T0.getTime() + ms);
const noStatus = undefined;

describe('pattern rules at their window edges', () => {
  it('when the third concern is exactly 30 days after the first, then "3 in 30 days" fires with all three', () => {
    const first = aRecord(T0);
    const second = aRecord(after(10 * DAY));
    const third = aRecord(after(30 * DAY));
    const [firing] = evaluateRecord([threeIn30], third, [first, second], noStatus);
    expect(firing).toMatchObject({
      ruleId: 'three',
      ruleText: '3 concerns in 30 days',
      incidentIds: [first.incidentId, second.incidentId, third.incidentId],
    });
  });

  it('when the third concern is 30 days and 1 ms after the first, then nothing fires', () => {
    const first = aRecord(T0);
    const second = aRecord(after(10 * DAY));
    const third = aRecord(after(30 * DAY + 1));
    expect(evaluateRecord([threeIn30], third, [first, second], noStatus)).toEqual([]);
  });

  it('when a concern typed in later falls between two others, then the run ending after it fires', () => {
    const first = aRecord(T0);
    const last = aRecord(after(20 * DAY));
    const typedInLater = aRecord(after(5 * DAY));
    const [firing] = evaluateRecord([threeIn30], typedInLater, [first, last], noStatus);
    expect(firing?.incidentIds).toEqual([
      first.incidentId,
      typedInLater.incidentId,
      last.incidentId,
    ]);
    // Its window is the one the last record's own evaluation would have found.
    expect(firing?.window).toBe(Math.floor(schoolDayNumber(last.happenedAt) / 30));
  });

  it("when another pupil's records are near, then they are not counted", () => {
    const others = [aRecord(T0, ['behaviour'], 'P2'), aRecord(after(DAY), ['behaviour'], 'P2')];
    expect(evaluateRecord([threeIn30], aRecord(after(2 * DAY)), others, noStatus)).toEqual([]);
  });

  it('when two concerns share a category exactly 7 days apart, then the category rule fires; 1 ms more and it does not', () => {
    const first = aRecord(T0, ['bullying', 'online-safety']);
    const inside = aRecord(after(7 * DAY), ['online-safety']);
    expect(evaluateRecord([twoInCategory7], inside, [first], noStatus)).toEqual([
      expect.objectContaining({ ruleId: 'cat', categoryId: 'online-safety' }),
    ]);
    const outside = aRecord(after(7 * DAY + 1), ['online-safety']);
    expect(evaluateRecord([twoInCategory7], outside, [first], noStatus)).toEqual([]);
  });

  it('when two concerns in 7 days have no category in common, then the category rule does not fire', () => {
    const first = aRecord(T0, ['attendance']);
    expect(
      evaluateRecord([twoInCategory7], aRecord(after(DAY), ['medical']), [first], noStatus),
    ).toEqual([]);
  });

  it('when the child is on a child protection plan, then any concern fires the status rule; otherwise not', () => {
    const record = aRecord(T0);
    const status = { childProtectionPlan: true, childInNeed: false, lookedAfter: 'no' };
    expect(evaluateRecord([onPlan], record, [], status)).toEqual([
      expect.objectContaining({ ruleId: 'cp', incidentIds: [record.incidentId] }),
    ]);
    expect(evaluateRecord([onPlan], record, [], { ...status, childProtectionPlan: false })).toEqual(
      [],
    );
    expect(evaluateRecord([onPlan], record, [], undefined)).toEqual([]);
  });

  it('when the same record is evaluated twice, then it finds the same firings with the same windows', () => {
    const around = [aRecord(T0), aRecord(after(DAY))];
    const record = aRecord(after(2 * DAY));
    const once = evaluateRecord(DEFAULT_PATTERN_RULES, record, around, noStatus);
    expect(evaluateRecord(DEFAULT_PATTERN_RULES, record, [...around].reverse(), noStatus)).toEqual(
      once,
    );
    expect(once.map((f) => f.ruleId)).toEqual(['three-in-30-days', 'two-in-a-category-in-7-days']);
  });

  it('when the defaults are described, then they read as the school would say them', () => {
    expect(DEFAULT_PATTERN_RULES.map(describeRule)).toEqual([
      '3 concerns in 30 days',
      '2 concerns in one category in 7 days',
      'A concern about a child on a child protection plan',
    ]);
  });
});
