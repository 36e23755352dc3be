// Long because it is mostly data: the demo school's year as a deterministic plan (who, when, what
// follows), so the seeding code (seed-demo-history.ts) stays short and reads top-down.
import type { ActionFormValues } from '../actions';
import { DEFAULT_CATEGORIES } from '../schools';
import { fromSchoolDateTime } from '../shared/school-time';
import { DEMO_CONFLICT_PUPIL_ID, demoPupils } from './demo-pupils';
import { DEMO_STAFF } from './demo-staff';
import {
  ACTION_TEXTS,
  AMENDMENT_REASONS,
  FACTS_ADDITION,
  PARENT_FIRST_NAMES,
  REOPEN_REASONS,
  SCENARIOS,
  type Scenario,
  type Theme,
} from './demo-history-texts';

/**
 * The demo school's past year as a list of dated steps, each one thing a person did in the app
 * (record a concern, acknowledge its alert, add an action, complete a task, amend, close,
 * reopen), plus the moments the action clocks (task reminders, referral chases) looked at the
 * time. Pure and deterministic: the same seeding day gives the same plan (a PRNG seeded from the
 * day), and no step is dated on or after that day, so nothing is ever in the future whatever the
 * hour the seeding runs. Times are the school's wall clock (Europe/London), mostly school hours
 * on school days.
 */

const ZONE = 'Europe/London';
/** How far back the history goes, in days before the seeding day. */
const WINDOW_DAYS = 365;

/** One thing done in the past, by whom (an Entra object id), at what instant. */
export type HistoryStep =
  | {
      readonly kind: 'record';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
      /** The incident form's values, as the card sends them. */
      readonly values: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'acknowledge';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
    }
  | {
      readonly kind: 'action';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
      /** The action form's idempotency key: also how later steps name this action. */
      readonly key: string;
      readonly values: ActionFormValues;
    }
  | {
      readonly kind: 'complete-task';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
      readonly task: string;
    }
  | {
      readonly kind: 'amend';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
      readonly request: { readonly reason: string; readonly changes: Record<string, unknown> };
    }
  | {
      readonly kind: 'close' | 'reopen';
      readonly at: Date;
      readonly concern: number;
      readonly by: string;
      /** The case status's sequence this step makes (1 the first close, 2 a reopen, …). */
      readonly sequence: number;
      readonly reason?: string;
    }
  | { readonly kind: 'clocks'; readonly at: Date };

/** A plan and what it adds up to (for progress and for tests). */
export interface HistoryPlan {
  readonly seedDay: string;
  readonly steps: readonly HistoryStep[];
  readonly concerns: number;
  readonly pupils: number;
}

// --- A seeded PRNG (mulberry32): the same day, the same year. ---------------------------------

class Random {
  private state: number;

  constructor(seed: string) {
    // FNV-1a of the seed text.
    let hash = 0x811c9dc5;
    for (let i = 0; i < seed.length; i += 1) {
      hash ^= seed.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    this.state = hash >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// --- The school calendar (fictional term dates, the same every year). -------------------------

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Holidays by month and day: summer, Christmas, Easter and the half terms; May's bank holiday. */
const HOLIDAYS: readonly (readonly [string, string])[] = [
  ['01-01', '01-03'],
  ['02-14', '02-21'],
  ['03-30', '04-12'],
  ['05-25', '05-31'],
  ['07-23', '09-02'],
  ['10-24', '10-31'],
  ['12-20', '12-31'],
];

function isSchoolDay(date: string): boolean {
  const weekday = weekdayOf(date);
  if (weekday === 0 || weekday === 6) return false;
  const monthDay = date.slice(5);
  if (HOLIDAYS.some(([from, to]) => monthDay >= from && monthDay <= to)) return false;
  // The early May bank holiday: the first Monday of May.
  return !(monthDay.startsWith('05-') && weekday === 1 && Number(date.slice(8)) <= 7);
}

/** The n-th school day after `date` (n ≥ 1), or `date` itself for 0. */
function addSchoolDays(date: string, n: number): string {
  let day = date;
  for (let i = 0; i < n;) {
    day = addDays(day, 1);
    if (isSchoolDay(day)) i += 1;
  }
  return day;
}

function hhmm(minutes: number): string {
  const m = Math.max(0, Math.min(23 * 60 + 59, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A moment on the school's wall clock. */
interface Moment {
  readonly date: string;
  /** Minutes after midnight. */
  readonly minutes: number;
}

function instantOf(m: Moment): Date {
  const at = fromSchoolDateTime(m.date, hhmm(m.minutes), ZONE);
  if (!at) throw new RangeError(`not a school time: ${m.date} ${hhmm(m.minutes)}`);
  return at;
}

const later = (a: Moment, b: Moment): boolean =>
  a.date > b.date || (a.date === b.date && a.minutes > b.minutes);

// --- Who is who (the demo school's staff, by role). -------------------------------------------

type Person = (typeof DEMO_STAFF)[number];

function staffNamed(name: string): Person {
  const member = DEMO_STAFF.find((m) => m.displayName === name && m.active);
  if (!member) throw new RangeError(`no active demo staff member ${name}`);
  return member;
}

const STAFF = {
  dsl: staffNamed('Priya Shah'),
  deputy: staffNamed('Daniel Okafor'),
  deputy2: staffNamed('Grace Adeyemi'),
  sendco: staffNamed('Rachel Adams'),
  mentor: staffNamed('Nadia Rahman'),
  office: staffNamed('Linda Morgan'),
  coach: staffNamed('Chris Walker'),
  assistants: [staffNamed('Aisha Begum'), staffNamed('Joanne Clarke')],
};
const TEAM = [STAFF.dsl, STAFF.deputy, STAFF.deputy2, STAFF.sendco];

function classTeacherOf(yearGroup: string, form: string): Person {
  const teachers = DEMO_STAFF.filter(
    (m) => m.active && m.jobTitle?.startsWith(`${yearGroup} teacher`),
  );
  const teacher = teachers[form.endsWith('P') && teachers.length > 1 ? 1 : 0];
  if (!teacher) throw new RangeError(`no class teacher for ${yearGroup}`);
  return teacher;
}

const isTeam = (p: Person): boolean => TEAM.includes(p);

// --- Pupils and their year. ---------------------------------------------------------------------

type Pupil = ReturnType<typeof demoPupils>[number];

interface HistoryPupil {
  readonly pupil: Pupil;
  readonly first: string;
  readonly parent: string;
  readonly parentName: string;
  readonly themes: readonly [Theme, Theme];
  readonly concerns: number;
}

/** The pupil the Quick start's walk-through reports on: they get a past too. */
const WALKTHROUGH_PUPIL_ID = 'EP1003';

const THEME_WEIGHTS: Readonly<Record<Theme, number>> = {
  attendance: 3,
  behaviour: 3,
  bullying: 3,
  wellbeing: 3,
  'send-medical': 2,
  safeguarding: 3,
  online: 1,
};

function themeWeights(yearGroup: string): [Theme, number][] {
  const older = yearGroup === 'Year 5' || yearGroup === 'Year 6';
  const younger = yearGroup === 'Reception' || yearGroup === 'Year 1';
  return (Object.entries(THEME_WEIGHTS) as [Theme, number][]).map(([theme, w]) => {
    if (theme === 'online') return [theme, older ? 3 : younger ? 0 : w];
    if (theme === 'bullying') return [theme, older ? 4 : younger ? 1 : w];
    return [theme, w];
  });
}

function choosePupils(rng: Random): HistoryPupil[] {
  const onRoll = demoPupils().filter((p) => p.onRoll);
  const walkthrough = onRoll.find((p) => p.pupilId === WALKTHROUGH_PUPIL_ID);
  const others = rng.shuffle(onRoll.filter((p) => p.pupilId !== WALKTHROUGH_PUPIL_ID));
  const chosen = [...(walkthrough ? [walkthrough] : []), ...others.slice(0, 59)];
  return chosen.map((pupil, i) => {
    const weights = themeWeights(pupil.yearGroup);
    const primary: Theme =
      pupil.pupilId === WALKTHROUGH_PUPIL_ID ? 'bullying' : rng.weighted(weights);
    const secondary = rng.weighted(weights.filter(([t]) => t !== primary));
    // A few pupils the school worries about all year, more now and then, most once or twice.
    const concerns =
      pupil.pupilId === WALKTHROUGH_PUPIL_ID
        ? 5
        : i <= 6
          ? rng.int(11, 17)
          : i <= 20
            ? rng.int(5, 8)
            : rng.int(2, 4);
    const title = rng.pick(['Ms', 'Mr', 'Mrs']);
    const relation = title === 'Mr' ? 'father' : rng.pick(['mother', 'mother', 'carer']);
    const parentName = `${title} ${rng.pick(PARENT_FIRST_NAMES)} ${pupil.legalLastName}`;
    return {
      pupil,
      first: pupil.preferredFirstName ?? pupil.legalFirstName,
      parent: `${parentName} (${relation})`,
      parentName,
      themes: [primary, secondary] as const,
      concerns,
    };
  });
}

// --- Building the steps. --------------------------------------------------------------------------

interface Draft {
  readonly at: Moment;
  readonly order: number;
  readonly step: (at: Date) => HistoryStep;
}

/** What a concern's follow-ups need to know about it. */
interface Concern {
  readonly n: number;
  readonly who: HistoryPupil;
  readonly scenario: Scenario;
  readonly recorder: Person;
  readonly teacher: Person;
  readonly happened: Moment;
  readonly recorded: Moment;
  readonly values: Record<string, string>;
  readonly fill: (text: string) => string;
}

/** Builds the plan of the school year before `seedDay` (YYYY-MM-DD, school-local). */
export function planDemoHistory(seedDay: string): HistoryPlan {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(seedDay)) throw new RangeError(`not a day: ${seedDay}`);
  const rng = new Random(`elm-park-history:${seedDay}`);
  const first = addDays(seedDay, -WINDOW_DAYS);
  const days: string[] = [];
  for (let d = first; d < seedDay; d = addDays(d, 1)) days.push(d);
  // Concerns start a week in, so one reported after a weekend is still inside the year.
  const schoolDays = days.filter((d) => isSchoolDay(d) && d >= addDays(first, 7));
  const pupils = choosePupils(rng);
  const inPlan = new Set(pupils.map((p) => p.pupil.pupilId));
  const allPupils = demoPupils().filter((p) => p.onRoll);

  // Each pupil's concerns fall on school days spread over the year.
  const dated: { who: HistoryPupil; date: string; theme: Theme }[] = [];
  for (const who of pupils) {
    const picked = new Set<string>();
    while (picked.size < who.concerns) picked.add(rng.pick(schoolDays));
    for (const date of picked) {
      dated.push({ who, date, theme: rng.chance(0.75) ? who.themes[0] : who.themes[1] });
    }
  }
  dated.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const drafts: Draft[] = [];
  let order = 0;
  const add = (at: Moment, step: (at: Date) => HistoryStep) => {
    if (at.date >= seedDay) return false; // not yet: it has not happened
    drafts.push({ at, order: order++, step });
    return true;
  };

  const concerns: Concern[] = [];
  dated.forEach(({ who, date, theme }, index) => {
    const concern = planConcern(rng, index + 1, who, date, theme, seedDay, allPupils, inPlan);
    concerns.push(concern);
    add(concern.recorded, (at) => ({
      kind: 'record',
      at,
      concern: concern.n,
      by: concern.recorder.aadObjectId,
      values: concern.values,
    }));
    planFollowUps(rng, concern, seedDay, add);
  });
  planAmendments(rng, concerns, seedDay, add);

  // The action clocks (overdue tasks, referral chases) look at the time at the end of each week,
  // as the app's job runner would have (more often), so the app finds the past settled.
  for (const day of days) {
    if (weekdayOf(day) !== 5) continue;
    add({ date: day, minutes: 17 * 60 + 1 }, (at) => ({ kind: 'clocks', at }));
  }

  drafts.sort((a, b) => (later(a.at, b.at) ? 1 : later(b.at, a.at) ? -1 : a.order - b.order));
  return {
    seedDay,
    steps: drafts.map((d) => d.step(instantOf(d.at))),
    concerns: concerns.filter((c) => c.recorded.date < seedDay).length,
    pupils: pupils.length,
  };
}

function planConcern(
  rng: Random,
  n: number,
  who: HistoryPupil,
  date: string,
  theme: Theme,
  seedDay: string,
  allPupils: readonly Pupil[],
  inPlan: ReadonlySet<string>,
): Concern {
  const pupil = who.pupil;
  const scenario = rng.pick(SCENARIOS.filter((s) => s.theme === theme));
  const teacher = classTeacherOf(pupil.yearGroup, pupil.form ?? '');
  const recorder = chooseRecorder(rng, theme, scenario, teacher, pupil.pupilId);

  // When: mostly in lessons; now and then after school or typed in from a paper note next day;
  // things seen online happened at the weekend and were reported on the school day.
  let happened: Moment;
  let recorded: Moment;
  let paper = false;
  const nextSchoolDay = addSchoolDays(date, 1);
  if (scenario.outOfHours) {
    const back = weekdayOf(date) === 1 ? rng.int(1, 2) : rng.int(1, 3);
    happened = { date: addDays(date, -back), minutes: rng.int(17 * 60, 20 * 60) };
    recorded = { date, minutes: rng.int(8 * 60 + 40, 10 * 60) };
  } else if (rng.chance(0.05)) {
    happened = { date, minutes: rng.int(15 * 60 + 35, 17 * 60 + 30) };
    recorded = { date, minutes: happened.minutes + rng.int(10, 35) };
  } else if (rng.chance(0.04) && nextSchoolDay < seedDay) {
    paper = true;
    happened = { date, minutes: rng.int(9 * 60, 15 * 60) };
    recorded = { date: nextSchoolDay, minutes: rng.int(8 * 60 + 30, 10 * 60) };
  } else {
    happened = { date, minutes: rng.int(8 * 60 + 45, 15 * 60 + 15) };
    recorded = {
      date,
      minutes: Math.min(happened.minutes + rng.int(15, 100), 17 * 60 + 30),
    };
  }

  // A linked pupil from the same year group, preferably one with a history of their own.
  const sameYear = allPupils.filter(
    (p) =>
      p.yearGroup === pupil.yearGroup &&
      p.pupilId !== pupil.pupilId &&
      p.pupilId !== DEMO_CONFLICT_PUPIL_ID,
  );
  const known = sameYear.filter((p) => inPlan.has(p.pupilId));
  const linked = scenario.linked
    ? rng.pick(known.length > 0 && rng.chance(0.7) ? known : sameYear)
    : undefined;

  const fill = (text: string): string =>
    text
      .replaceAll('{pupil}', who.first)
      .replaceAll(
        '{other}',
        linked ? (linked.preferredFirstName ?? linked.legalFirstName) : 'another pupil',
      )
      .replaceAll('{recorder}', recorder.displayName)
      .replaceAll('{teacher}', teacher.displayName)
      .replaceAll('{parentName}', who.parentName)
      .replaceAll('{parent}', who.parent)
      .replaceAll('{time}', hhmm(happened.minutes))
      .replaceAll('{witness}', STAFF.assistants[0]!.displayName);
  const maybe = (texts: readonly string[] | undefined, p: number): string =>
    texts && rng.chance(p) ? fill(rng.pick(texts)) : '';

  // Colleagues are alerted only about what they may open (not the team-only categories).
  const teamOnly = scenario.categories.some(
    (id) => DEFAULT_CATEGORIES.find((k) => k.categoryId === id)?.teamOnly,
  );
  const alertStaff: Person[] = [];
  if (!teamOnly && rng.chance(0.25)) {
    const colleague = rng.pick([teacher, STAFF.mentor]);
    if (colleague !== recorder && !isTeam(colleague)) alertStaff.push(colleague);
  }
  const body = scenario.bodyMap && rng.chance(0.7) ? rng.pick(scenario.bodyMap) : undefined;
  const agencies = scenario.agencies && rng.chance(0.8) ? scenario.agencies : [];
  const values: Record<string, string> = {
    pupilId: pupil.pupilId,
    happenedDate: happened.date,
    happenedTime: hhmm(happened.minutes),
    transcribedFromPaper: paper ? 'true' : 'false',
    location: rng.pick(scenario.places),
    facts: fill(rng.pick(scenario.facts)),
    childsWords: maybe(scenario.childsWords, 0.7),
    adultsWords: maybe(scenario.adultsWords, 0.6),
    leadingQuestionNote: maybe(scenario.leadingQuestionNote, 0.5),
    opinion: maybe(scenario.opinion, 0.5),
    actionTaken: fill(rng.pick(scenario.actionTaken)),
    actionRequired: fill(rng.pick(scenario.actionRequired)),
    categoryIds: scenario.categories.join(','),
    agencyIds: agencies.join(','),
    alertStaffIds: alertStaff.map((m) => m.aadObjectId).join(','),
    ...(linked ? { linkedPupil1: linked.pupilId, linkedRole1: scenario.linked ?? 'involved' } : {}),
    ...(body
      ? {
          bodyRegion1: body.region,
          bodySide1: body.side,
          bodyLaterality1: body.laterality,
          bodyDescription1: body.description,
        }
      : {}),
  };
  return { n, who, scenario, recorder, teacher, happened, recorded, values, fill };
}

/** Who writes a concern of this kind: mostly the class teacher; the office, mentor, team too. */
function chooseRecorder(
  rng: Random,
  theme: Theme,
  scenario: Scenario,
  teacher: Person,
  pupilId: string,
): Person {
  const categories = scenario.categories;
  if (
    categories.some((c) =>
      ['domestic-violence', 'child-in-need', 'caf-level-2', 'looked-after-child'].includes(c),
    )
  ) {
    return rng.pick([STAFF.dsl, STAFF.dsl, STAFF.deputy]);
  }
  if (categories.some((c) => ['education-health-care-plan', 'care-plan'].includes(c))) {
    return STAFF.sendco;
  }
  // Joanne Clarke's own child is at the school (a conflict of interest): never about them.
  const assistant = rng.pick(
    STAFF.assistants.filter(
      (a) => pupilId !== DEMO_CONFLICT_PUPIL_ID || a.displayName !== 'Joanne Clarke',
    ),
  );
  const options: Record<Theme, [Person, number][]> = {
    attendance: [
      [STAFF.office, 5],
      [teacher, 5],
    ],
    behaviour: [
      [teacher, 6],
      [assistant, 2],
      [STAFF.coach, 1],
      [STAFF.mentor, 1],
    ],
    bullying: [
      [teacher, 5],
      [assistant, 2],
      [STAFF.mentor, 2],
      [STAFF.coach, 1],
    ],
    wellbeing: [
      [teacher, 5],
      [STAFF.mentor, 4],
      [assistant, 1],
    ],
    'send-medical': [
      [STAFF.sendco, 4],
      [teacher, 3],
      [STAFF.office, 3],
    ],
    safeguarding: [
      [teacher, 5],
      [assistant, 2],
      [STAFF.deputy, 2],
      [STAFF.dsl, 1],
    ],
    online: [
      [teacher, 6],
      [STAFF.mentor, 2],
      [STAFF.deputy, 2],
    ],
  };
  return rng.weighted(options[theme]);
}

type Add = (at: Moment, step: (at: Date) => HistoryStep) => boolean;

/**
 * Acknowledgements, then what usually follows a concern of this kind: a contact (a call, a talk,
 * a meeting), maybe a referral, a task or a note, a decision, and for most decided cases a close.
 * About 1.5 actions a concern: enough for every kind to be there many times over, few enough that
 * the first start stays quick on the embedded store, where every query reads its whole table.
 */
function planFollowUps(rng: Random, c: Concern, seedDay: string, add: Add): void {
  const recipients = TEAM.filter((m) => m !== c.recorder);
  const sendFirst =
    c.scenario.theme === 'send-medical' && recipients.includes(STAFF.sendco) && rng.chance(0.5);
  const acker = sendFirst
    ? STAFF.sendco
    : rng.weighted(
        recipients
          .filter((m) => m !== STAFF.sendco)
          .map((m) => [m, m === STAFF.dsl ? 6 : 2] as [Person, number]),
      );
  const ackAt: Moment = { date: c.recorded.date, minutes: c.recorded.minutes + rng.int(2, 12) };
  add(ackAt, (at) => ({ kind: 'acknowledge', at, concern: c.n, by: acker.aadObjectId }));
  if (rng.chance(0.1)) {
    const second = rng.pick(recipients.filter((m) => m !== acker));
    const at: Moment = { date: ackAt.date, minutes: ackAt.minutes + rng.int(10, 90) };
    add(at, (t) => ({ kind: 'acknowledge', at: t, concern: c.n, by: second.aadObjectId }));
  }
  for (const id of (c.values.alertStaffIds ?? '').split(',').filter(Boolean)) {
    if (!rng.chance(0.5)) continue;
    const at: Moment = { date: ackAt.date, minutes: ackAt.minutes + rng.int(5, 60) };
    add(at, (t) => ({ kind: 'acknowledge', at: t, concern: c.n, by: id }));
  }

  // Each follow-up at a later moment; the story stops at the first one that has not happened yet.
  let cursor: Moment = { date: ackAt.date, minutes: ackAt.minutes + rng.int(15, 60) };
  let seq = 0;
  let stopped = false;
  let decided = false;
  const advance = (minDays: number, maxDays: number): Moment => {
    const days = rng.int(minDays, maxDays);
    cursor =
      days === 0 && cursor.minutes + 30 < 16 * 60 + 30
        ? { date: cursor.date, minutes: cursor.minutes + rng.int(20, 120) }
        : {
            date: addSchoolDays(cursor.date, Math.max(days, 1)),
            minutes: rng.int(8 * 60 + 30, 16 * 60 + 15),
          };
    return cursor;
  };
  const teamMember = (): Person =>
    rng.chance(0.6) ? STAFF.dsl : rng.pick([STAFF.deputy, STAFF.deputy2]);
  // Staff outside the team act on what they recorded; the team on anything.
  const author = (wanted: Person): Person =>
    isTeam(wanted) || wanted === c.recorder ? wanted : teamMember();
  const action = (
    at: Moment,
    by: Person,
    fields: Partial<ActionFormValues> & { kind: string; text: string },
  ): string | undefined => {
    if (stopped || at.date >= seedDay) {
      stopped = true;
      return undefined;
    }
    seq += 1;
    const key = `demo-history:${seedDay}:c${c.n}:a${seq}`;
    const values: ActionFormValues = {
      kind: fields.kind,
      happenedDate: at.date,
      happenedTime: hhmm(Math.max(at.minutes - rng.int(0, 20), 0)),
      text: c.fill(fields.text),
      with: fields.with ?? '',
      agencyId: fields.agencyId ?? '',
      agencyReference: fields.agencyReference ?? '',
      referredDate: fields.referredDate ?? '',
      outcome: fields.outcome ?? '',
      reason: fields.reason ? c.fill(fields.reason) : '',
      assignee: fields.assignee ?? '',
      dueDate: fields.dueDate ?? '',
      alertStaffIds: fields.alertStaffIds ?? '',
    };
    add(at, (t) => ({ kind: 'action', at: t, concern: c.n, by: by.aadObjectId, key, values }));
    if (fields.kind === 'decision') decided = true;
    return key;
  };
  const task = (assignee: Person, text: string): void => {
    const at = advance(0, 1);
    const dueDate = addSchoolDays(at.date, rng.int(2, 8));
    const key = action(at, teamMember(), {
      kind: 'task',
      text,
      assignee: assignee.aadObjectId,
      dueDate,
    });
    if (!key) return;
    // Most tasks are done by their day, some late, some never (overdue once their day passes).
    const r = rng.next();
    if (r > 0.8) return;
    const doneDate =
      r < 0.7
        ? addSchoolDays(at.date, rng.int(0, schoolDaysBetween(at.date, dueDate)))
        : addSchoolDays(dueDate, rng.int(1, 4));
    const done: Moment = {
      date: doneDate,
      minutes:
        doneDate === at.date
          ? Math.min(at.minutes + rng.int(30, 120), 17 * 60 + 30)
          : rng.int(8 * 60 + 30, 16 * 60 + 30),
    };
    if (!later(done, at)) return;
    add(done, (t) => ({
      kind: 'complete-task',
      at: t,
      concern: c.n,
      by: assignee.aadObjectId,
      task: key,
    }));
  };
  const decide = (options: readonly ('monitor' | 'no-further-action' | 'early-help')[]) => {
    const outcome = rng.pick(options);
    action(advance(1, 8), teamMember(), {
      kind: 'decision',
      outcome,
      text:
        outcome === 'monitor'
          ? rng.pick(ACTION_TEXTS.monitor)
          : outcome === 'early-help'
            ? rng.pick(ACTION_TEXTS.earlyHelp)
            : rng.pick(ACTION_TEXTS.noFurtherAction),
      reason: outcome === 'no-further-action' ? rng.pick(ACTION_TEXTS.noFurtherActionReason) : '',
    });
  };
  // A referral; to children's social care its decision follows, mostly a working day later.
  const referral = (agencyId: string, statutory: boolean): void => {
    const at = advance(0, 0);
    const key = action(at, teamMember(), {
      kind: 'referral',
      agencyId,
      agencyReference: rng.chance(0.7)
        ? `${statutory ? 'MASH' : 'REF'}-${rng.int(10_000, 99_999)}`
        : '',
      referredDate: at.date,
      text: rng.pick(ACTION_TEXTS.referral),
    });
    if (!key || !statutory) return;
    cursor = {
      date: addSchoolDays(at.date, rng.chance(0.8) ? 1 : rng.int(2, 4)),
      minutes: rng.int(9 * 60, 16 * 60),
    };
    const text = rng.pick(ACTION_TEXTS.referralDecision);
    const nfa = text.includes('no further action');
    action(cursor, teamMember(), {
      kind: 'decision',
      outcome: nfa ? 'no-further-action' : text.includes('early help') ? 'early-help' : 'refer',
      text,
      reason: nfa ? 'Social care found no grounds for an assessment; school will monitor.' : '',
    });
  };

  const theme = c.scenario.theme;
  const categories = c.scenario.categories;
  if (rng.chance(0.12)) {
    action(advance(0, 0), acker, { kind: 'note', text: rng.pick(ACTION_TEXTS.readAndReviewed) });
  }
  if (rng.chance(0.75)) {
    const contact: Partial<ActionFormValues> & { kind: string; text: string } =
      theme === 'send-medical'
        ? { kind: 'meeting', text: rng.pick(ACTION_TEXTS.meeting) }
        : theme === 'safeguarding'
          ? {
              kind: 'phone-call',
              with: 'professional',
              text: rng.pick(ACTION_TEXTS.callProfessional),
            }
          : theme === 'bullying' || theme === 'wellbeing'
            ? { kind: 'conversation', with: 'pupil', text: rng.pick(ACTION_TEXTS.talkWithPupil) }
            : { kind: 'phone-call', with: 'parent-carer', text: rng.pick(ACTION_TEXTS.callParent) };
    const by = theme === 'send-medical' ? STAFF.sendco : author(c.recorder);
    action(advance(0, 2), by, contact);
  }
  if (categories.includes('child-protection') || (theme === 'safeguarding' && rng.chance(0.2))) {
    referral('social-care-mash', true);
  } else if (categories.includes('self-harm') || (theme === 'wellbeing' && rng.chance(0.15))) {
    referral(rng.pick(['nhs-camhs', 'school-nurse']), false);
  } else if (categories.includes('prevent')) {
    referral('police', false);
  } else if (theme === 'attendance' && rng.chance(0.15)) {
    referral('education-welfare', false);
  }
  if (rng.chance(0.22)) {
    const [assignee, text] =
      theme === 'attendance'
        ? [STAFF.office, ACTION_TEXTS.task[1]]
        : theme === 'send-medical'
          ? [rng.pick([STAFF.sendco, STAFF.office]), ACTION_TEXTS.task[3]]
          : theme === 'wellbeing'
            ? [STAFF.mentor, ACTION_TEXTS.task[0]]
            : [
                c.teacher,
                rng.pick([ACTION_TEXTS.task[0], ACTION_TEXTS.task[2], ACTION_TEXTS.task[4]]),
              ];
    task(assignee, text);
  }
  if (!decided && rng.chance(theme === 'safeguarding' ? 0.3 : 0.5)) {
    decide(
      theme === 'wellbeing' || theme === 'safeguarding'
        ? ['monitor', 'early-help', 'no-further-action']
        : ['monitor', 'no-further-action', 'no-further-action'],
    );
  }

  // Closed with its decision as the outcome: most low-level cases, few child protection ones.
  const closeChance = theme === 'safeguarding' ? 0.3 : theme === 'wellbeing' ? 0.6 : 0.8;
  if (!decided || stopped || !rng.chance(closeChance)) return;
  const closedAt: Moment = {
    date: addSchoolDays(cursor.date, rng.int(1, 15)),
    minutes: rng.int(9 * 60, 16 * 60 + 30),
  };
  const closer = rng.chance(0.7) ? STAFF.dsl : STAFF.deputy;
  const closed = add(closedAt, (at) => ({
    kind: 'close',
    at,
    concern: c.n,
    by: closer.aadObjectId,
    sequence: 1,
  }));
  // Now and then new information reopens a case.
  if (!closed || !rng.chance(0.05)) return;
  const reopenedAt: Moment = {
    date: addSchoolDays(closedAt.date, rng.int(5, 25)),
    minutes: rng.int(9 * 60, 16 * 60),
  };
  const reopened = add(reopenedAt, (at) => ({
    kind: 'reopen',
    at,
    concern: c.n,
    by: STAFF.dsl.aadObjectId,
    sequence: 2,
    reason: c.fill(rng.pick(REOPEN_REASONS)),
  }));
  if (!reopened) return;
  cursor = reopenedAt;
  action(advance(0, 3), STAFF.dsl, {
    kind: 'conversation',
    with: 'pupil',
    text: rng.pick(ACTION_TEXTS.talkWithPupil),
  });
}

function schoolDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = from; d < to; d = addSchoolDays(d, 1)) n += 1;
  return n;
}

/** A few records amended by the team with a reason: every kind of change, spread over the year. */
function planAmendments(
  rng: Random,
  concerns: readonly Concern[],
  seedDay: string,
  add: Add,
): void {
  const kinds = Object.keys(AMENDMENT_REASONS) as (keyof typeof AMENDMENT_REASONS)[];
  const picked = rng.shuffle(concerns).slice(0, 18);
  picked.forEach((c, i) => {
    const field = kinds[i % kinds.length]!;
    const at: Moment = {
      date: addSchoolDays(c.recorded.date, rng.int(0, 2)),
      minutes: rng.int(9 * 60, 16 * 60 + 30),
    };
    if (!later(at, c.recorded) || at.date >= seedDay) return;
    const changes = amendmentOf(rng, c, field);
    if (!changes) return;
    const by = rng.chance(0.7) ? STAFF.dsl : STAFF.deputy;
    add(at, (t) => ({
      kind: 'amend',
      at: t,
      concern: c.n,
      by: by.aadObjectId,
      request: { reason: AMENDMENT_REASONS[field], changes },
    }));
  });
}

function amendmentOf(
  rng: Random,
  c: Concern,
  field: keyof typeof AMENDMENT_REASONS,
): Record<string, unknown> | undefined {
  const categories = (c.values.categoryIds ?? '').split(',').filter(Boolean);
  const agencies = (c.values.agencyIds ?? '').split(',').filter(Boolean);
  switch (field) {
    case 'happenedAt': {
      // Earlier than typed: never after it was recorded.
      const minutes = Math.max(c.happened.minutes - rng.int(5, 40), 0);
      return { happenedAt: instantOf({ date: c.happened.date, minutes }).toISOString() };
    }
    case 'location':
      return c.values.location === 'Dining hall' ? undefined : { location: 'Dining hall' };
    case 'categoryIds': {
      const extra = rng.pick(['well-being', 'parent-conversations', 'safeguarding']);
      return categories.includes(extra) ? undefined : { categoryIds: [...categories, extra] };
    }
    case 'agencyIds': {
      const extra = rng.pick(['police', 'school-nurse', 'early-help']);
      return agencies.includes(extra) ? undefined : { agencyIds: [...agencies, extra] };
    }
    case 'facts':
      return { facts: `${c.values.facts ?? ''}${c.fill(FACTS_ADDITION)}` };
  }
}
