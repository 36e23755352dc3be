import fs from 'node:fs';
import path from 'node:path';
import type { Acknowledgement, Alert } from '../../../src/alerts';
import { renderActionAlertCard } from '../../../src/bot/actions/action-cards';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import {
  renderCard,
  type AdaptiveCardJson,
  type CardData,
  type CardName,
} from '../../../src/bot/render-card';

const CARDS_DIR = path.join(__dirname, '..', '..', '..', 'cards');
const FIXTURES_DIR = path.join(__dirname, '..', '..', 'fixtures', 'cards');

/** One card as the bot would send it, named for the test title and its screenshot's file. */
export interface CardCase {
  id: string;
  card: AdaptiveCardJson;
}

function templateNames(dir = CARDS_DIR, prefix = ''): CardName[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? templateNames(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : entry.name.endsWith('.json')
          ? [`${prefix}${entry.name.replace(/\.json$/, '')}` as CardName]
          : [],
    )
    .sort();
}

function fixtureFor<N extends CardName>(name: N): CardData[N] {
  const file = path.join(FIXTURES_DIR, `${path.basename(name)}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CardData[N];
}

const ME = '00000000-0000-0000-0000-000000000e01';
const DSL = '00000000-0000-0000-0000-000000000e02';

function anAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    tenantId: 't',
    schoolId: 's',
    alertId: '0b9f3c1e-2d4a-4b5c-8d6e-7f8a9b0c1d2e',
    kind: 'incident',
    incidentId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    reference: 'EPC-2026-00042',
    recipientAadObjectId: ME,
    reason: 'safeguarding-team',
    wave: 0,
    recordedBy: { aadObjectId: '00000000-0000-0000-0000-000000000e05', displayName: 'Sam Taylor' },
    categoryNames: ['Child protection', 'Safeguarding'],
    recordedAt: new Date('2026-11-23T11:02:00Z'),
    createdAt: new Date('2026-11-23T11:02:00Z'),
    status: 'sent',
    attempts: 1,
    nextAttemptAt: new Date('2026-11-23T11:02:00Z'),
    ...overrides,
  };
}

function anAcknowledgement(aadObjectId: string, displayName: string): Acknowledgement {
  return {
    tenantId: 't',
    schoolId: 's',
    incidentId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    aadObjectId,
    displayName,
    acknowledgedAt: new Date('2026-11-23T11:20:00Z'),
    onTeam: true,
  };
}

function anActionAlert(kind: Alert['kind'], reason: Alert['reason']): Alert {
  return anAlert({
    kind,
    reason,
    action: {
      actionId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
      kind: kind === 'referral-chase' ? 'referral' : kind === 'action' ? 'phone-call' : 'task',
      ...(kind.startsWith('task') ? { dueAt: new Date('2026-11-25T17:00:00Z') } : {}),
    },
  });
}

/** Every key of a form's errors (and each row's) with a message, as when nothing was right. */
function everyError<T extends Record<string, string>>(errors: T): T {
  return Object.fromEntries(
    Object.keys(errors).map((key) => [key, `Check this answer (${key}).`]),
  ) as T;
}

function incidentFormWithEveryError(): CardData['incidents/incident-form'] {
  const form = fixtureFor('incidents/incident-form');
  return {
    ...form,
    banner: 'Some answers need another look (see below).',
    showBodyMap: true,
    errors: everyError(form.errors),
    linkedRows: form.linkedRows.map((row) => ({
      ...row,
      pupilError: `Choose a pupil from your school (linked pupil ${row.n}).`,
      roleError: `Say how this pupil was involved (linked pupil ${row.n}).`,
    })),
    bodyRows: form.bodyRows.map((row) => ({
      ...row,
      error: `Give the part of the body and a description (mark ${row.n}).`,
    })),
  };
}

function actionFormWithEveryError(): CardData['actions/action-form'] {
  const form = fixtureFor('actions/action-form');
  return {
    ...form,
    banner: 'Some answers need another look (see below).',
    errors: everyError(form.errors),
  };
}

/**
 * Every template with its fixture, then what the code draws at run time beyond the fixtures:
 * each alert status, receipt and undeliverable notice, each action alert (task, due today,
 * overdue, chase, done), both forms with every error showing, the empty states.
 */
export function cardCases(): CardCase[] {
  const fixtures = templateNames().map((name) => ({
    id: name,
    card: renderCard(name, fixtureFor(name) as never),
  }));
  const task = anActionAlert('task', 'task-assignee');
  const variants: CardCase[] = [
    { id: 'alerts/alert · not yet acknowledged', card: renderAlertCard(anAlert(), []) },
    {
      id: 'alerts/alert · acknowledged by you',
      card: renderAlertCard(anAlert(), [anAcknowledgement(ME, 'Tom Reilly')]),
    },
    {
      id: 'alerts/alert · acknowledged by others',
      card: renderAlertCard(anAlert(), [anAcknowledgement(DSL, 'Priya Shah')]),
    },
    {
      id: 'alerts/alert · escalation with Open',
      card: renderAlertCard(
        anAlert({ reason: 'escalation', wave: 1 }),
        [],
        '00000000-0000-0000-0000-00000000a001',
      ),
    },
    {
      id: 'alerts/receipt · from the code',
      card: renderAlertCard(anAlert({ kind: 'receipt', reason: 'recorder-receipt' }), [
        anAcknowledgement(DSL, 'Priya Shah'),
      ]),
    },
    {
      id: 'alerts/undeliverable · from the code',
      card: renderAlertCard(
        anAlert({
          kind: 'undeliverable-notice',
          reason: 'team-notice',
          notice: { recipientName: 'Tom Reilly', reason: 'app not installed (403)' },
        }),
        [],
      ),
    },
    {
      id: 'actions/action-alert · action added',
      card: renderAlertCard(anActionAlert('action', 'action-recipient'), []),
    },
    { id: 'actions/action-alert · task', card: renderAlertCard(task, []) },
    {
      id: 'actions/action-alert · task due today',
      card: renderAlertCard(anActionAlert('task-reminder', 'task-clock'), []),
    },
    {
      id: 'actions/action-alert · task overdue',
      card: renderAlertCard(anActionAlert('task-overdue', 'task-clock'), []),
    },
    {
      id: 'actions/action-alert · referral chase',
      card: renderAlertCard(anActionAlert('referral-chase', 'referral-clock'), []),
    },
    {
      id: 'actions/action-alert · task done',
      card: renderActionAlertCard(task, 'Done: marked by Tom Reilly at 25 Nov 2026, 09:40'),
    },
    {
      id: 'incidents/incident-form · every error',
      card: renderCard('incidents/incident-form', incidentFormWithEveryError()),
    },
    {
      id: 'actions/action-form · every error',
      card: renderCard('actions/action-form', actionFormWithEveryError()),
    },
    {
      id: 'incidents/find-pupil · first ask',
      card: renderCard('incidents/find-pupil', {
        draftId: '6f1c2a4e-0000-4000-8000-000000000001',
        query: '',
        note: '',
        resultsHeading: '',
        results: [],
      }),
    },
    {
      id: 'actions/open-tasks · nothing open or overdue',
      card: renderCard('actions/open-tasks', {
        openCount: 0,
        open: [],
        showOverdue: true,
        overdueCount: 0,
        overdue: [],
      }),
    },
    {
      id: 'chronology/history · empty',
      card: renderCard('chronology/history', {
        ...fixtureFor('chronology/history'),
        emptyNote: 'No records you can see for this pupil.',
        entries: [],
        showMore: false,
      }),
    },
  ];
  return [...fixtures, ...variants];
}
