import type { ReferralOrDecisionFact } from '../actions';
import { STATUS_FLAGS, type PupilStatus } from '../pupil-status';

/** A decision's outcome in the words of the report. */
export const DECISION_OUTCOME_LABELS: Record<
  NonNullable<ReferralOrDecisionFact['outcome']>,
  string
> = {
  'no-further-action': 'No further action',
  monitor: 'Monitor',
  refer: 'Referred on',
  'early-help': 'Early help',
  other: 'Other decision',
};

const NO_STATUS = 'No recorded status';

/**
 * The status rows of a pupil's status (a concern counts in each that applies), or with `all` every
 * row in order. Statuses as the tab names them, plus looked after and previously looked after.
 */
export function statusLabelsOf(status: PupilStatus | undefined, all = false): string[] {
  const rows: [string, boolean][] = [
    ...STATUS_FLAGS.map(([flag, label]): [string, boolean] => [label, Boolean(status?.[flag])]),
    ['Looked after', status?.lookedAfter === 'looked-after'],
    ['Previously looked after', status?.lookedAfter === 'previously-looked-after'],
  ];
  if (all) return [...rows.map(([label]) => label), NO_STATUS];
  const labels = rows.filter(([, on]) => on).map(([label]) => label);
  return labels.length ? labels : [NO_STATUS];
}

/** Reception first, then years in number order, then anything else by name. */
export function sortYearGroups(groups: readonly string[]): string[] {
  const rank = (g: string) => {
    if (/^(r|reception|year r)$/i.test(g.trim())) return -1;
    const n = /(\d+)/.exec(g);
    return n ? Number(n[1]) : 1000;
  };
  return [...groups].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
