import fs from 'node:fs';
import path from 'node:path';
import {
  cardTemplatePath,
  renderCard,
  type CardData,
  type CardName,
} from '../../../src/bot/render-card';
import { ACTION_FORM_FIELDS } from '../../../src/actions';
import { incidentFormValuesSchema } from '../../../src/incidents';
import { adultConcernFormSchema } from '../../../src/adult-concerns';
import { validateAdaptiveCard } from '../../support/adaptive-card-validator';

// The form's renderer always passes every input id; "minimal" means every one of them empty.
const emptyFields = Object.fromEntries(
  [...Object.keys(incidentFormValuesSchema.shape), 'form'].map((k) => [k, '']),
);

const emptyActionFields = Object.fromEntries(ACTION_FORM_FIELDS.map((k) => [k, '']));

const emptyAdultConcernFields = Object.fromEntries(
  Object.keys(adultConcernFormSchema.shape).map((k) => [k, '']),
);

const CARDS_DIR = path.join(__dirname, '..', '..', '..', 'cards');
const FIXTURES_DIR = path.join(__dirname, '..', '..', 'fixtures', 'cards');

const oneChoice = { title: 'x', value: 'none' };

/** Minimal data for each card: empty strings and lists, to catch bindings that only work when full. */
const MINIMAL: { [N in CardName]: CardData[N] } = {
  'core/welcome': { firstName: '', schoolName: '' },
  'core/help': { notice: '', commands: [] },
  'incidents/incident-form': {
    draftId: 'd',
    banner: '',
    searchNote: '',
    maxDate: '2026-11-23',
    teamNote: '',
    showBodyMap: false,
    values: emptyFields,
    errors: emptyFields,
    // The renderer never passes an empty choice list (a ChoiceSet needs one choice).
    pupilChoices: [oneChoice],
    categoryChoices: [oneChoice],
    agencyChoices: [oneChoice],
    staffChoices: [oneChoice],
    roleChoices: [oneChoice],
    regionChoices: [oneChoice],
    sideChoices: [oneChoice],
    lateralityChoices: [oneChoice],
    linkedRows: [],
    bodyRows: [],
  },
  'incidents/incident-recorded': { reference: '', recordedAt: '', categories: '', alerted: '' },
  'incidents/resume-draft': { draftId: 'd', savedAt: '', pupilQuery: '' },
  'incidents/draft-saved': { draftId: 'd', message: '' },
  'incidents/find-pupil': { draftId: 'd', query: '', note: '', resultsHeading: '', results: [] },
  'files/which-record': { fileId: 'f', fileName: '', fileSize: '', records: [oneChoice] },
  'files/file-added': { fileName: '', reference: '', uploadedBy: '', addedAt: '' },
  'alerts/alert': {
    alertId: 'a',
    title: '',
    intro: '',
    reference: '',
    recordedBy: '',
    categories: '',
    recordedAt: '',
    status: '',
    showAcknowledge: false,
    incidentId: 'i',
    showAddAction: false,
    openUrl: '',
    showOpen: false,
    sendId: '',
    refreshUserId: '8:orgid:u',
  },
  'alerts/receipt': { reference: '', acknowledgedBy: '', acknowledgedAt: '' },
  'alerts/undeliverable': { recipientName: '', reference: '', reason: '' },
  'alerts/pattern': {
    ruleText: '',
    recordCount: '',
    reference: '',
    raisedAt: '',
    openUrl: '',
    showOpen: false,
  },
  'chronology/history': {
    title: '',
    subtitle: '',
    emptyNote: '',
    entries: [],
    showMore: false,
    pupilId: 'p',
    cursor: '',
    openUrl: 'https://teams.microsoft.com/l/entity/x/chronology',
  },
  'chronology/choose-pupil': { note: '', pupils: [oneChoice] },
  'desk/desk': { heading: '', counts: [], note: '', openUrl: 'https://teams.microsoft.com/l/x' },
  'alerts/open-alerts': {
    unacknowledgedCount: 0,
    undeliverableCount: 0,
    unacknowledged: [],
    undeliverable: [],
  },
  'actions/action-form': {
    incidentId: 'i',
    idempotencyKey: 'k',
    reference: '',
    banner: '',
    maxDate: '2026-11-23',
    values: emptyActionFields,
    errors: emptyActionFields,
    kindChoices: [oneChoice],
    withChoices: [oneChoice],
    agencyChoices: [oneChoice],
    outcomeChoices: [oneChoice],
    staffChoices: [oneChoice],
  },
  'actions/action-added': { title: '', reference: '', kind: '', happenedAt: '', alerted: '' },
  'actions/action-alert': {
    title: '',
    intro: '',
    reference: '',
    categories: '',
    kind: '',
    by: '',
    addedAt: '',
    extraFacts: [],
    status: '',
    actionId: '',
    incidentId: '',
    showTaskButtons: false,
    showAddAction: false,
  },
  'actions/open-tasks': {
    openCount: 0,
    open: [],
    showOverdue: false,
    overdueCount: 0,
    overdue: [],
  },
  'adult-concerns/adult-concern-form': {
    draftId: 'd',
    banner: '',
    maxDate: '2026-11-23',
    values: emptyAdultConcernFields,
    errors: emptyAdultConcernFields,
    kindChoices: [oneChoice],
    staffChoices: [oneChoice],
    thresholdChoices: [oneChoice],
  },
  'adult-concerns/adult-concern-recorded': { reference: '', recordedAt: '', passedTo: '' },
  'adult-concerns/adult-concern-draft-saved': { draftId: 'd', message: '' },
  'adult-concerns/adult-concern-resume': { draftId: 'd', savedAt: '' },
  'alerts/adult-concern-alert': {
    concernId: 'c',
    title: '',
    reference: '',
    recordedAt: '',
    status: '',
    showAcknowledge: false,
  },
};

function templateNames(dir = CARDS_DIR, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? templateNames(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : entry.name.endsWith('.json')
          ? [`${prefix}${entry.name.replace(/\.json$/, '')}`]
          : [],
    );
}

function fixtureFor(name: CardName): CardData[CardName] {
  const file = path.join(FIXTURES_DIR, `${path.basename(name)}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CardData[CardName];
}

describe('card templates', () => {
  const names = templateNames() as CardName[];

  it('when the cards folder is listed, then every template has a fixture and minimal data', () => {
    expect(names.sort()).toEqual(Object.keys(MINIMAL).sort());
    for (const name of names) expect(fs.existsSync(cardTemplatePath(name))).toBe(true);
  });

  describe.each(names)('%s', (name) => {
    it.each([
      ['its fixture', () => fixtureFor(name)],
      ['minimal data', () => MINIMAL[name]],
    ])(
      'when filled with %s, then it is a valid Adaptive Card 1.5 with nothing left unbound',
      (_label, data) => {
        const card = renderCard(name, data() as never);
        const json = JSON.stringify(card);
        expect(json).not.toContain('${');
        expect(card.version).toBe('1.5');
        expect(validateAdaptiveCard(card)).toEqual([]);
      },
    );
  });
});
