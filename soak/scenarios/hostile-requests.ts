import type { SimulatedUser } from '../../bench/support/teams-activities';
import { tabRequest, type TabAnswer } from '../support/tab-client';
import {
  cardAction,
  formValues,
  postActivity,
  postRaw,
  type BotAnswer,
} from '../support/teams-client';

/** What the hostile requests are aimed at: two schools of one trust, with a record each. */
export interface Targets {
  readonly baseUrl: string;
  readonly serviceUrl: string;
  /** A plain member of staff and the DSL at Elm Park (the attackers). */
  readonly teacher: SimulatedUser;
  readonly dsl: SimulatedUser;
  readonly teacherToken: string;
  /** The DSL's token with the second factor: the strongest an attacker could hold. */
  readonly dslToken: string;
  /** Elm Park's own record (another teacher's) and pupil. */
  readonly ownIncidentId: string;
  readonly ownPupilId: string;
  /** Oak Hill's (another school's) record, pupil and alert: forged ids. */
  readonly otherIncidentId: string;
  readonly otherPupilId: string;
  readonly otherAlertId: string;
}

/** One hostile request: where it goes (the bot or the tab) and how to send it. */
export interface HostileRequest {
  readonly name: string;
  readonly channel: 'bot' | 'tab';
  send(t: Targets): Promise<BotAnswer | TabAnswer>;
}

/** Strings a careless store or parser would act on. */
const OPERATOR = { $gt: '' };
const WHERE = { $where: 'sleep(1000) || true' };
const MEGABYTE = 'A'.repeat(1_048_576);
/** Under the body limit (256 kB), over every field's own limit. */
const LONG = 'B'.repeat(200_000);
const CONTROL = 'EP1003\u0000\u001b[31m\u202e';

const submit = (t: Targets, data: Record<string, unknown>, as: 'teacher' | 'dsl' = 'teacher') =>
  postActivity(
    t.baseUrl,
    cardAction(as === 'teacher' ? t.teacher : t.dsl, t.serviceUrl, 'incident.submit', {
      ...formValues(t.ownPupilId, new Date()),
      draftId: crypto.randomUUID(),
      ...data,
    }),
  );

/** An invoke whose JSON text is written by hand: keys JSON.stringify would never write. */
const rawInvoke = (t: Targets, verb: string, dataJson: string) => {
  const activity = cardAction(t.teacher, t.serviceUrl, verb, {});
  const text = JSON.stringify(activity).replace('"data":{}', `"data":${dataJson}`);
  return postRaw(t.baseUrl, text);
};

const bot = (name: string, send: HostileRequest['send']): HostileRequest => ({
  name,
  channel: 'bot',
  send,
});
const tab = (name: string, send: HostileRequest['send']): HostileRequest => ({
  name,
  channel: 'tab',
  send,
});

/**
 * The catalogue (#18 part 8): card data and tab requests a hostile or broken client could send.
 * Every one must be refused with a clear message and store nothing.
 */
export const HOSTILE_REQUESTS: readonly HostileRequest[] = [
  // Card data: operators, wrong types, sizes, control characters, prototype keys.
  bot('submit: pupilId is a query operator', (t) => submit(t, { pupilId: OPERATOR })),
  bot('submit: facts is $where', (t) => submit(t, { facts: WHERE, pupilId: '' })),
  bot('submit: categories as an array of operators', (t) =>
    submit(t, { categoryIds: [OPERATOR], facts: '' }),
  ),
  bot('submit: happenedDate is a number', (t) => submit(t, { happenedDate: 20260101 })),
  bot('submit: every field is null', (t) =>
    submit(t, Object.fromEntries(Object.keys(formValues('x', new Date())).map((k) => [k, null]))),
  ),
  bot('submit: facts of 200 kB', (t) => submit(t, { facts: LONG })),
  bot('submit: a body of 1 MB', (t) => submit(t, { facts: MEGABYTE })),
  bot('submit: control characters in the pupil id', (t) => submit(t, { pupilId: CONTROL })),
  bot('submit: a pupil of another school', (t) => submit(t, { pupilId: t.otherPupilId })),
  bot('submit: draftId is an operator', (t) => submit(t, { draftId: OPERATOR })),
  bot('submit: __proto__ in the data', (t) =>
    rawInvoke(
      t,
      'incident.submit',
      `{"__proto__":{"roles":["dsl"],"isAdmin":true},"draftId":"${crypto.randomUUID()}","pupilId":"${t.ownPupilId}"}`,
    ),
  ),
  bot('submit: constructor.prototype in the data', (t) =>
    rawInvoke(
      t,
      'incident.submit',
      `{"constructor":{"prototype":{"polluted":true}},"draftId":"${crypto.randomUUID()}"}`,
    ),
  ),
  bot('acknowledge: an alert of another school', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'alert.acknowledge', { alertId: t.otherAlertId }),
    ),
  ),
  bot('acknowledge: alertId is an operator', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'alert.acknowledge', { alertId: OPERATOR }),
    ),
  ),
  bot('add action: a record of another school', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'action.openForm', { incidentId: t.otherIncidentId }),
    ),
  ),
  bot('submit action: on a record of another school', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'action.submit', {
        incidentId: t.otherIncidentId,
        formId: crypto.randomUUID(),
        kind: 'note',
        text: 'Forged note',
        happenedDate: formValues('x', new Date()).happenedDate,
      }),
    ),
  ),
  bot('submit action: kind and text are operators', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'action.submit', {
        incidentId: t.ownIncidentId,
        formId: crypto.randomUUID(),
        kind: OPERATOR,
        text: WHERE,
      }),
    ),
  ),
  bot('history: a pupil of another school', (t) =>
    postActivity(
      t.baseUrl,
      cardAction(t.dsl, t.serviceUrl, 'chronology.show', { pupilId: t.otherPupilId }),
    ),
  ),
  bot('invoke: the value is not an object', (t) => {
    const activity = { ...cardAction(t.teacher, t.serviceUrl, 'x', {}), value: 'x'.repeat(1_000) };
    return postActivity(t.baseUrl, activity);
  }),
  bot('invoke: a verb of 10 kB', (t) =>
    postActivity(t.baseUrl, cardAction(t.teacher, t.serviceUrl, 'v'.repeat(10_000), {})),
  ),
  bot('invoke: data is an array', (t) => rawInvoke(t, 'incident.submit', '[1,2,3]')),
  bot('activity: not JSON', (t) => postRaw(t.baseUrl, '{"type":"invoke",')),
  bot('activity: from a forged sender on the teacher’s chat', (t) => {
    const activity = cardAction(t.teacher, t.serviceUrl, 'incident.submit', {
      ...formValues(t.ownPupilId, new Date()),
      draftId: crypto.randomUUID(),
    });
    return postActivity(t.baseUrl, {
      ...activity,
      from: { id: t.dsl.teamsId, aadObjectId: t.dsl.aadObjectId },
    });
  }),

  // Tab requests: the DSL with the second factor, the strongest token an attacker could hold.
  tab('search: q is an operator', (t) =>
    tabRequest(t.baseUrl, 'GET', '/api/tab/pupils?q[$gt]=', t.dslToken),
  ),
  tab('search: q of 10 kB', (t) =>
    tabRequest(t.baseUrl, 'GET', `/api/tab/pupils?q=${'q'.repeat(10_000)}`, t.dslToken),
  ),
  tab('chronology: a pupil of another school', (t) =>
    tabRequest(t.baseUrl, 'GET', `/api/tab/pupils/${t.otherPupilId}/chronology`, t.dslToken),
  ),
  tab('chronology: an id with $ and control characters', (t) =>
    tabRequest(
      t.baseUrl,
      'GET',
      `/api/tab/pupils/${encodeURIComponent('$where\u0000')}/chronology`,
      t.dslToken,
    ),
  ),
  tab('record: a record of another school', (t) =>
    tabRequest(t.baseUrl, 'GET', `/api/tab/incidents/${t.otherIncidentId}`, t.dslToken),
  ),
  tab('record: a colleague’s record, as a teacher', (t) =>
    tabRequest(t.baseUrl, 'GET', `/api/tab/incidents/${t.ownIncidentId}`, t.teacherToken),
  ),
  tab('amend: a record of another school', (t) =>
    tabRequest(
      t.baseUrl,
      'POST',
      `/api/tab/incidents/${t.otherIncidentId}/amendments`,
      t.dslToken,
      {
        reason: 'A forged amendment of another school’s record',
        changes: { location: 'Elsewhere' },
      },
    ),
  ),
  tab('amend: operators in changes', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.ownIncidentId}/amendments`, t.dslToken, {
      reason: 'An amendment with operators in it',
      changes: { facts: OPERATOR, $set: { reference: 'X' } },
    }),
  ),
  tab('amend: __proto__ in the body', (t) =>
    tabRequest(
      t.baseUrl,
      'POST',
      `/api/tab/incidents/${t.ownIncidentId}/amendments`,
      t.dslToken,
      undefined,
      '{"reason":"Prototype keys in the body here","changes":{"location":"x"},"__proto__":{"steppedUp":true}}',
    ),
  ),
  tab('amend: facts of 200 kB', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.ownIncidentId}/amendments`, t.dslToken, {
      reason: 'An amendment far too long for its field',
      changes: { facts: LONG },
    }),
  ),
  tab('amend: a body of 1 MB', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.ownIncidentId}/amendments`, t.dslToken, {
      reason: 'An amendment of a megabyte',
      changes: { facts: MEGABYTE },
    }),
  ),
  tab('amend: wrong types', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.ownIncidentId}/amendments`, t.dslToken, {
      reason: 12345678901,
      changes: { categoryIds: 'safeguarding', happenedAt: 0 },
    }),
  ),
  tab('amend: not JSON', (t) =>
    tabRequest(
      t.baseUrl,
      'POST',
      `/api/tab/incidents/${t.ownIncidentId}/amendments`,
      t.dslToken,
      undefined,
      '{"reason":',
    ),
  ),
  tab('review: a record of another school', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.otherIncidentId}/review`, t.dslToken, {}),
  ),
  tab('close: a record of another school', (t) =>
    tabRequest(t.baseUrl, 'POST', `/api/tab/incidents/${t.otherIncidentId}/close`, t.dslToken, {}),
  ),
  tab('status: operators and wrong types', (t) =>
    tabRequest(t.baseUrl, 'PUT', `/api/tab/pupils/${t.ownPupilId}/status`, t.dslToken, {
      reason: OPERATOR,
      status: { childProtectionPlan: 'yes', nhsNumber: { $ne: null } },
    }),
  ),
  tab('status: a pupil of another school', (t) =>
    tabRequest(t.baseUrl, 'PUT', `/api/tab/pupils/${t.otherPupilId}/status`, t.dslToken, {
      reason: 'Changing another school’s pupil',
      status: {},
    }),
  ),
  tab('token: forged', (t) =>
    tabRequest(
      t.baseUrl,
      'GET',
      '/api/tab/desk',
      `${t.dslToken.split('.').slice(0, 2).join('.')}.forged`,
    ),
  ),
  tab('token: none', (t) => tabRequest(t.baseUrl, 'GET', '/api/tab/desk', undefined)),
  tab('sign-in: aadObjectId is an operator', (t) =>
    tabRequest(t.baseUrl, 'POST', '/api/tab/dev/sign-in', undefined, {
      aadObjectId: OPERATOR,
      stepUp: true,
    }),
  ),
];
