import {
  DEFAULT_ESCALATION,
  escalationConfigSchema,
  escalationLadderText,
  nextEscalation,
  type EscalationConfig,
  type EscalationDecision,
} from '../../../src/alerts/escalation';
import { DEFAULT_SCHOOL_DAY, type SchoolDayConfig } from '../../../src/clocks/school-day';

// 2026-01-12 is a Monday and 2026-01-16 a Friday (GMT, so UTC is school time); 2026-05-25 is the
// late May bank holiday and 2026-06-15 a Monday in BST (UTC+1).
const PAUSED: EscalationConfig = { ...DEFAULT_ESCALATION, pauseOutOfHours: true };

interface Scenario {
  created: string;
  now: string;
  stepsDone: number;
  acknowledged?: boolean;
  cfg?: EscalationConfig;
  schoolDay?: SchoolDayConfig;
}

/** The decision with dates as ISO strings, so a table row reads as the school would say it. */
function decide(s: Scenario): Record<string, unknown> {
  const decision: EscalationDecision = nextEscalation({
    alertCreatedAt: new Date(s.created),
    now: new Date(s.now),
    stepsDone: s.stepsDone,
    acknowledged: s.acknowledged ?? false,
    cfg: s.cfg ?? DEFAULT_ESCALATION,
    schoolDay: s.schoolDay ?? DEFAULT_SCHOOL_DAY,
  });
  return Object.fromEntries(
    Object.entries(decision).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

const wait = (until: string) => ({ kind: 'wait', until });
const ALL = ['deputy-dsl', 'dsl', 'head'];

describe('escalation config', () => {
  it('when nothing is configured, then 15/60 minutes, deputies → DSL → head, reminders 30/120', () => {
    expect(DEFAULT_ESCALATION).toEqual({
      ackWithinMinutes: 15,
      outOfHoursAckWithinMinutes: 60,
      remindEveryMinutes: 30,
      outOfHoursRemindEveryMinutes: 120,
      pauseOutOfHours: false,
      ladder: [['deputy-dsl'], ['dsl'], ['head']],
    });
  });

  it.each([
    ['all staff on a step (need-to-know)', { ladder: [['staff']] }],
    ['the admin role on a step', { ladder: [['dsl'], ['admin']] }],
    ['an empty step', { ladder: [[]] }],
    ['an unknown role', { ladder: [['teacher']] }],
    ['a zero wait', { ackWithinMinutes: 0 }],
    ['a fractional wait', { remindEveryMinutes: 7.5 }],
    ['an 11-step ladder', { ladder: Array.from({ length: 11 }, () => ['dsl']) }],
  ])('when the config has %s, then it is refused', (_label, cfg) => {
    expect(escalationConfigSchema.safeParse(cfg).success).toBe(false);
  });

  it.each([
    ['deputy-dsl>dsl>head', [['deputy-dsl'], ['dsl'], ['head']]],
    [' Deputy-DSL > DSL+SLT ', [['deputy-dsl'], ['dsl', 'slt']]],
    ['safeguarding-team', [['safeguarding-team']]],
    ['', []],
  ])('when ESCALATION_LADDER is %p, then it is read as steps of roles', (text, ladder) => {
    expect(escalationLadderText.parse(text)).toEqual(ladder);
  });

  it.each(['dsl>>head', 'dsl>teacher', 'staff', 'dsl>+'])(
    'when ESCALATION_LADDER is %p, then it is refused',
    (text) => {
      expect(escalationLadderText.safeParse(text).success).toBe(false);
    },
  );
});

describe('escalating in school time', () => {
  const created = '2026-01-12T10:00:00.000Z';

  it.each<[string, Omit<Scenario, 'created'>, Record<string, unknown>]>([
    [
      'just after it went out',
      { now: '2026-01-12T10:05:00Z', stepsDone: 0 },
      wait('2026-01-12T10:15:00.000Z'),
    ],
    [
      '15 minutes on',
      { now: '2026-01-12T10:15:00Z', stepsDone: 0 },
      {
        kind: 'escalate',
        step: 0,
        roles: ['deputy-dsl'],
        allRoles: ['deputy-dsl'],
        at: '2026-01-12T10:15:00.000Z',
      },
    ],
    [
      'after the deputies were added',
      { now: '2026-01-12T10:16:00Z', stepsDone: 1 },
      wait('2026-01-12T10:30:00.000Z'),
    ],
    [
      '30 minutes on',
      { now: '2026-01-12T10:30:00Z', stepsDone: 1 },
      {
        kind: 'escalate',
        step: 1,
        roles: ['dsl'],
        allRoles: ['deputy-dsl', 'dsl'],
        at: '2026-01-12T10:30:00.000Z',
      },
    ],
    [
      '45 minutes on',
      { now: '2026-01-12T10:45:00Z', stepsDone: 2 },
      { kind: 'escalate', step: 2, roles: ['head'], allRoles: ALL, at: '2026-01-12T10:45:00.000Z' },
    ],
    [
      'after the head was added',
      { now: '2026-01-12T10:50:00Z', stepsDone: 3 },
      wait('2026-01-12T11:15:00.000Z'),
    ],
    [
      '30 minutes after the head was added',
      { now: '2026-01-12T11:15:00Z', stepsDone: 3 },
      { kind: 'remind', step: 3, allRoles: ALL, at: '2026-01-12T11:15:00.000Z' },
    ],
    [
      'after the first reminder',
      { now: '2026-01-12T11:20:00Z', stepsDone: 4 },
      wait('2026-01-12T11:45:00.000Z'),
    ],
    [
      'acknowledged before anything was due',
      { now: '2026-01-12T10:05:00Z', stepsDone: 0, acknowledged: true },
      { kind: 'none' },
    ],
    [
      'acknowledged after the deputies were added',
      { now: '2026-01-12T10:20:00Z', stepsDone: 1, acknowledged: true },
      { kind: 'none' },
    ],
    [
      'acknowledged while reminders go on',
      { now: '2026-01-12T15:00:00Z', stepsDone: 9, acknowledged: true },
      { kind: 'none' },
    ],
  ])('when it is %s, then the decision follows the ladder', (_label, s, expected) => {
    expect(decide({ created, ...s })).toEqual(expected);
  });

  it('when the job was down for two hours, then missed ladder steps are due one by one', () => {
    const now = '2026-01-12T12:20:00Z';
    expect(decide({ created, now, stepsDone: 0 })).toMatchObject({
      kind: 'escalate',
      step: 0,
      at: '2026-01-12T10:15:00.000Z',
    });
    expect(decide({ created, now, stepsDone: 1 })).toMatchObject({
      kind: 'escalate',
      step: 1,
      at: '2026-01-12T10:30:00.000Z',
    });
    expect(decide({ created, now, stepsDone: 2 })).toMatchObject({
      kind: 'escalate',
      step: 2,
      at: '2026-01-12T10:45:00.000Z',
    });
  });

  it('when reminders were missed, then only the latest is sent and the steps skip ahead', () => {
    // reminder slots at 11:15, 11:45 and 12:15: one reminder, numbered as the third
    expect(decide({ created, now: '2026-01-12T12:20:00Z', stepsDone: 3 })).toEqual({
      kind: 'remind',
      step: 5,
      allRoles: ALL,
      at: '2026-01-12T12:15:00.000Z',
    });
    expect(decide({ created, now: '2026-01-12T12:20:00Z', stepsDone: 6 })).toEqual(
      wait('2026-01-12T12:45:00.000Z'),
    );
  });

  it('when the ladder is empty, then the team is reminded after the acknowledgement window', () => {
    const cfg = { ...DEFAULT_ESCALATION, ladder: [] };
    expect(decide({ created, now: '2026-01-12T10:15:00Z', stepsDone: 0, cfg })).toEqual({
      kind: 'remind',
      step: 0,
      allRoles: [],
      at: '2026-01-12T10:15:00.000Z',
    });
    expect(decide({ created, now: '2026-01-12T10:16:00Z', stepsDone: 1, cfg })).toEqual(
      wait('2026-01-12T10:45:00.000Z'),
    );
  });

  it('when steps name several roles, then everyone named so far is listed once', () => {
    const cfg = {
      ...DEFAULT_ESCALATION,
      ladder: [
        ['deputy-dsl', 'safeguarding-team'],
        ['dsl', 'deputy-dsl'],
        ['head', 'slt'],
      ],
    } as EscalationConfig;
    expect(decide({ created, now: '2026-01-12T10:30:00Z', stepsDone: 1, cfg })).toEqual({
      kind: 'escalate',
      step: 1,
      roles: ['dsl', 'deputy-dsl'],
      allRoles: ['deputy-dsl', 'safeguarding-team', 'dsl'],
      at: '2026-01-12T10:30:00.000Z',
    });
  });
});

describe('escalating across the end and start of the school day', () => {
  it.each<[string, Scenario, Record<string, unknown>]>([
    [
      'raised at 16:50 (10 minutes of school time, then 20 out of hours)',
      { created: '2026-01-12T16:50:00Z', now: '2026-01-12T17:00:00Z', stepsDone: 0 },
      wait('2026-01-12T17:20:00.000Z'),
    ],
    [
      'raised at 16:50 in BST',
      { created: '2026-06-15T15:50:00Z', now: '2026-06-15T16:00:00Z', stepsDone: 0 },
      wait('2026-06-15T16:20:00.000Z'),
    ],
    [
      'raised at 07:30 (half the out-of-hours wait, then 7.5 school minutes)',
      { created: '2026-01-12T07:30:00Z', now: '2026-01-12T07:31:00Z', stepsDone: 0 },
      wait('2026-01-12T08:07:30.000Z'),
    ],
    [
      'at the second step of an evening ladder (an hour each out of hours)',
      { created: '2026-01-12T16:50:00Z', now: '2026-01-12T17:30:00Z', stepsDone: 1 },
      wait('2026-01-12T18:20:00.000Z'),
    ],
    [
      'the first morning reminder after a night of two-hourly ones',
      // head at 19:20; reminders 21:20 … 07:20; then 40 min out of hours (1/3) + 20 school minutes
      { created: '2026-01-12T16:50:00Z', now: '2026-01-13T08:00:00Z', stepsDone: 9 },
      wait('2026-01-13T08:20:00.000Z'),
    ],
  ])('when it is %s, then the wait is shared pro rata', (_label, s, expected) => {
    expect(decide(s)).toEqual(expected);
  });
});

describe('out of hours: 22:00 on a Friday', () => {
  const created = '2026-01-16T22:00:00.000Z';

  it.each<[string, Omit<Scenario, 'created'>, Record<string, unknown>]>([
    [
      'Friday 22:30',
      { now: '2026-01-16T22:30:00Z', stepsDone: 0 },
      wait('2026-01-16T23:00:00.000Z'),
    ],
    [
      'Friday 23:00',
      { now: '2026-01-16T23:00:00Z', stepsDone: 0 },
      {
        kind: 'escalate',
        step: 0,
        roles: ['deputy-dsl'],
        allRoles: ['deputy-dsl'],
        at: '2026-01-16T23:00:00.000Z',
      },
    ],
    [
      'Friday 23:05, deputies added',
      { now: '2026-01-16T23:05:00Z', stepsDone: 1 },
      wait('2026-01-17T00:00:00.000Z'),
    ],
    [
      'Saturday 00:05, DSL added',
      { now: '2026-01-17T00:05:00Z', stepsDone: 2 },
      wait('2026-01-17T01:00:00.000Z'),
    ],
    [
      'Saturday 01:05, head added',
      { now: '2026-01-17T01:05:00Z', stepsDone: 3 },
      wait('2026-01-17T03:00:00.000Z'),
    ],
    [
      'Monday 08:16 with the weekend reminders sent',
      // Saturday 03:00 + 2 h × 26 = Monday 07:00 (step 29); then 1 h out of hours + 15 school minutes
      { now: '2026-01-19T08:16:00Z', stepsDone: 29 },
      { kind: 'remind', step: 30, allRoles: ALL, at: '2026-01-19T08:15:00.000Z' },
    ],
    [
      'Monday 08:16 after the job was down all weekend',
      { now: '2026-01-19T08:16:00Z', stepsDone: 3 },
      { kind: 'remind', step: 30, allRoles: ALL, at: '2026-01-19T08:15:00.000Z' },
    ],
    [
      'Monday 08:20, once school is open',
      { now: '2026-01-19T08:20:00Z', stepsDone: 31 },
      wait('2026-01-19T08:45:00.000Z'),
    ],
  ])('when it is %s, then escalation carries on at the out-of-hours pace', (_l, s, expected) => {
    expect(decide({ created, ...s })).toEqual(expected);
  });

  it('when out-of-hours escalation is paused, then the deputies are added at 08:15 on Monday', () => {
    expect(decide({ created, now: '2026-01-17T12:00:00Z', stepsDone: 0, cfg: PAUSED })).toEqual(
      wait('2026-01-19T08:15:00.000Z'),
    );
  });
});

describe('weekends and closure days', () => {
  it('when raised at 16:55 on a Friday with the clock paused, then 10 school minutes remain for Monday', () => {
    expect(
      decide({
        created: '2026-01-16T16:55:00Z',
        now: '2026-01-16T17:00:00Z',
        stepsDone: 0,
        cfg: PAUSED,
      }),
    ).toEqual(wait('2026-01-19T08:10:00.000Z'));
  });

  it('when the Monday is closed and the clock paused, then the wait resumes on Tuesday', () => {
    const schoolDay = { ...DEFAULT_SCHOOL_DAY, closures: ['2026-01-19'] };
    expect(
      decide({
        created: '2026-01-16T16:55:00Z',
        now: '2026-01-16T17:00:00Z',
        stepsDone: 0,
        cfg: PAUSED,
        schoolDay,
      }),
    ).toEqual(wait('2026-01-20T08:10:00.000Z'));
  });

  it('when raised at 10:00 on a bank holiday, then the out-of-hours wait applies all day', () => {
    const schoolDay = { ...DEFAULT_SCHOOL_DAY, closures: ['2026-05-25'] };
    expect(
      decide({
        created: '2026-05-25T09:00:00Z',
        now: '2026-05-25T09:10:00Z',
        stepsDone: 0,
        schoolDay,
      }),
    ).toEqual(wait('2026-05-25T10:00:00.000Z'));
    // the same Monday as a school day: 15 minutes
    expect(
      decide({ created: '2026-05-25T09:00:00Z', now: '2026-05-25T09:10:00Z', stepsDone: 0 }),
    ).toEqual(wait('2026-05-25T09:15:00.000Z'));
  });

  it('when an alert goes unacknowledged through a summer holiday, then the latest reminder is found quickly', () => {
    const schoolDay = { ...DEFAULT_SCHOOL_DAY, closures: ['2026-07-18..2026-09-02'] };
    const started = performance.now();
    const decision = decide({
      created: '2026-07-17T12:00:00Z',
      now: '2026-09-03T07:20:00Z',
      stepsDone: 3,
      schoolDay,
    });
    expect(performance.now() - started).toBeLessThan(500);
    // Reminders 13:15Z … 15:45Z (steps 3–8); 15 school minutes and an hour out of hours make
    // 17:00Z (step 9); then every 2 h for 1,142 h, the last at 07:00Z on 3 September, as school opens.
    expect(decision).toEqual({
      kind: 'remind',
      step: 9 + 571,
      allRoles: ALL,
      at: '2026-09-03T07:00:00.000Z',
    });
  });

  it('when the clock is paused and the calendar has no school day for over a year, then it says so', () => {
    const schoolDay = { ...DEFAULT_SCHOOL_DAY, closures: ['2026-01-01..2027-12-31'] };
    expect(() =>
      decide({
        created: '2026-01-12T10:00:00Z',
        now: '2026-01-12T10:05:00Z',
        stepsDone: 0,
        cfg: PAUSED,
        schoolDay,
      }),
    ).toThrow(expect.objectContaining({ code: 'SCHOOL_DAY.NO_SCHOOL_TIME' }));
  });

  it('when the clock is not paused and the calendar has no school day, then out-of-hours waits still run', () => {
    const schoolDay = { ...DEFAULT_SCHOOL_DAY, closures: ['2026-01-01..2027-12-31'] };
    expect(
      decide({
        created: '2026-01-12T10:00:00Z',
        now: '2026-01-12T10:05:00Z',
        stepsDone: 0,
        schoolDay,
      }),
    ).toEqual(wait('2026-01-12T11:00:00.000Z'));
  });
});
