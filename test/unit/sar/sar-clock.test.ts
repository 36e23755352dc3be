import { ENGLAND_BANK_HOLIDAYS_2026_2027, schoolDayConfigSchema } from '../../../src/clocks';
import { releaseBlockers, requestState } from '../../../src/sar/sar-state';
import type { SarChange, SarRegistration } from '../../../src/sar/sar.types';
import { fromSchoolDateTime } from '../../../src/shared/school-time';

const london = (local: string) => fromSchoolDateTime(local.slice(0, 10), local.slice(11, 16))!;
const calendar = {
  schoolDay: schoolDayConfigSchema.parse({}),
  bankHolidays: ENGLAND_BANK_HOLIDAYS_2026_2027,
};
const DSL = { aadObjectId: 'aad-priya', displayName: 'Priya Shah' };

function registration(
  receivedAt: string,
  relationship: SarRegistration['relationship'] = 'parent',
): SarRegistration {
  return {
    tenantId: 't',
    schoolId: 's',
    sarId: 'sar-1',
    reference: 'SAR-1',
    pupilId: 'EP1001',
    requesterName: 'Requester',
    relationship,
    identityCheck: 'Passport seen',
    scopeOfRequest: 'Everything',
    receivedAt: london(receivedAt),
    loggedBy: DSL,
    loggedAt: london(receivedAt),
  };
}

let sequence = 0;
function change(
  body: DistributiveOmit<SarChange, 'tenantId' | 'schoolId' | 'sarId' | 'sequence' | 'by' | 'at'>,
): SarChange {
  sequence += 1;
  return {
    ...body,
    tenantId: 't',
    schoolId: 's',
    sarId: 'sar-1',
    sequence,
    by: DSL,
    at: london('2027-02-01T09:00'),
  } as SarChange;
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

describe('the SAR clock: one calendar month, clamped at month ends', () => {
  it.each([
    [
      '31 January (leap year): the last day of February, 29th',
      '2028-01-31T10:00',
      '2028-03-01T00:00',
    ],
    [
      '31 January: 28 February is a Sunday, so Monday 1 March',
      '2027-01-31T10:00',
      '2027-03-02T00:00',
    ],
    [
      '30 January 2026: 28 February is a Saturday, so Monday 2 March',
      '2026-01-30T10:00',
      '2026-03-03T00:00',
    ],
    ['31 March: the last day of April, 30th', '2027-03-31T10:00', '2027-05-01T00:00'],
    ['15 December: over Christmas, same date in January', '2026-12-15T10:00', '2027-01-16T00:00'],
  ])('when received %s, then it is due by the end of that day', (_n, received, due) => {
    expect(requestState(registration(received), [], calendar).dueAt).toEqual(london(due));
  });

  it('when a request received 31 January is extended by two months, then it is due three months on: 30 April, a Sunday, so Monday 1 May (BST by then)', () => {
    const extended = requestState(
      registration('2028-01-31T10:00'),
      [
        change({
          kind: 'extension',
          months: 2,
          reason: 'Many records',
          requesterToldOn: '2028-02-10',
        }),
      ],
      calendar,
    );
    expect(extended.status).toBe('extended');
    expect(extended.dueAt).toEqual(london('2028-05-02T00:00'));
    expect(extended.extension).toEqual({
      months: 2,
      reason: 'Many records',
      requesterToldOn: '2028-02-10',
    });
  });

  it('when extended by one month, then it is due a month after the first due date, clamped again', () => {
    const extended = requestState(
      registration('2027-01-31T10:00'),
      [change({ kind: 'extension', months: 1, reason: 'Complex', requesterToldOn: '2027-02-01' })],
      calendar,
    );
    // 31 March 2027 is a Wednesday.
    expect(extended.dueAt).toEqual(london('2027-04-01T00:00'));
  });
});

describe('the decisions a parent’s request needs before release', () => {
  const parent = registration('2027-01-10T10:00');

  it('when a parent asks and nothing is decided, then both decisions are asked for', () => {
    expect(releaseBlockers(requestState(parent, [], calendar))).toEqual([
      'Record whether the requester holds parental responsibility, and why.',
      'Record whether the child is competent to decide, and why.',
    ]);
  });

  it('when parental responsibility is held and the child is not competent, then nothing blocks', () => {
    const state = requestState(
      parent,
      [
        change({ kind: 'parental-responsibility', decision: 'held', reason: 'Birth certificate' }),
        change({ kind: 'competence', decision: 'not-competent', reason: 'Aged 6' }),
      ],
      calendar,
    );
    expect(releaseBlockers(state)).toEqual([]);
    expect(state.competence).toEqual(
      expect.objectContaining({ decision: 'not-competent', reason: 'Aged 6', decidedBy: DSL }),
    );
  });

  it('when a competent child refuses, then the release to the parent is blocked', () => {
    const state = requestState(
      parent,
      [
        change({ kind: 'parental-responsibility', decision: 'held', reason: 'Court order seen' }),
        change({
          kind: 'competence',
          decision: 'competent-refuses',
          reason: 'Aged 14, asked us not to',
        }),
      ],
      calendar,
    );
    expect(releaseBlockers(state)).toEqual([
      'The child is competent and does not agree: the request cannot be released to the parent.',
    ]);
  });

  it('when the pupil asks for their own data, then no parental decisions are needed', () => {
    expect(
      releaseBlockers(requestState(registration('2027-01-10T10:00', 'pupil'), [], calendar)),
    ).toEqual([]);
  });
});
