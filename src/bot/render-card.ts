import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { AppError } from '../shared/errors';

/** The data each card template binds; adding a template means adding its line here. */
export interface CardData {
  'core/welcome': { firstName: string; schoolName: string };
  'core/help': { notice: string; commands: { command: string; description: string }[] };
  'incidents/incident-form': IncidentFormCardData;
  'incidents/incident-recorded': {
    reference: string;
    recordedAt: string;
    categories: string;
    alerted: string;
  };
  'incidents/resume-draft': { draftId: string; savedAt: string; pupilQuery: string };
  'incidents/draft-saved': { draftId: string; message: string };
  'incidents/find-pupil': {
    draftId: string;
    /** What the person typed, kept in the name box. */
    query: string;
    note: string;
    resultsHeading: string;
    /** One button each: the pupil's name, year and form. */
    results: { title: string; pupilId: string }[];
  };
  'files/which-record': { fileId: string; fileName: string; fileSize: string; records: Choice[] };
  'files/file-added': { fileName: string; reference: string; uploadedBy: string; addedAt: string };
  'alerts/alert': {
    alertId: string;
    title: string;
    intro: string;
    reference: string;
    recordedBy: string;
    categories: string;
    recordedAt: string;
    status: string;
    showAcknowledge: boolean;
    incidentId: string;
    showAddAction: boolean;
    openUrl: string;
    showOpen: boolean;
    /** The send this copy came from ('' when unknown): links the copy when Teams shows it. */
    sendId: string;
    /** Who Teams refreshes the card for (the recipient, as 8:orgid:<Entra object id>). */
    refreshUserId: string;
  };
  'alerts/receipt': { reference: string; acknowledgedBy: string; acknowledgedAt: string };
  'alerts/undeliverable': { recipientName: string; reference: string; reason: string };
  'alerts/pattern': {
    ruleText: string;
    recordCount: string;
    reference: string;
    raisedAt: string;
    openUrl: string;
    showOpen: boolean;
  };
  'chronology/history': {
    title: string;
    subtitle: string;
    emptyNote: string;
    entries: { heading: string; detail: string }[];
    showMore: boolean;
    pupilId: string;
    cursor: string;
    openUrl: string;
  };
  'chronology/choose-pupil': { note: string; pupils: Choice[] };
  'desk/desk': {
    heading: string;
    counts: { title: string; value: string }[];
    note: string;
    openUrl: string;
  };
  'alerts/open-alerts': {
    unacknowledgedCount: number;
    undeliverableCount: number;
    unacknowledged: { reference: string; detail: string }[];
    undeliverable: { reference: string; detail: string }[];
  };
  'actions/action-form': {
    incidentId: string;
    idempotencyKey: string;
    reference: string;
    banner: string;
    maxDate: string;
    /** Every input id, '' when empty. */
    values: Record<string, string>;
    /** Every input id, '' when fine. */
    errors: Record<string, string>;
    kindChoices: Choice[];
    withChoices: Choice[];
    agencyChoices: Choice[];
    outcomeChoices: Choice[];
    staffChoices: Choice[];
  };
  'actions/action-added': {
    title: string;
    reference: string;
    kind: string;
    happenedAt: string;
    alerted: string;
  };
  'actions/action-alert': {
    title: string;
    intro: string;
    reference: string;
    categories: string;
    kind: string;
    by: string;
    addedAt: string;
    extraFacts: { title: string; value: string }[];
    status: string;
    actionId: string;
    incidentId: string;
    showTaskButtons: boolean;
    showAddAction: boolean;
  };
  'actions/open-tasks': {
    openCount: number;
    open: { reference: string; detail: string }[];
    showOverdue: boolean;
    overdueCount: number;
    overdue: { reference: string; detail: string }[];
  };
  // Concerns about adults (src/bot/adult-concerns/): no adult's name or detail outside the form.
  'adult-concerns/adult-concern-form': {
    draftId: string;
    banner: string;
    maxDate: string;
    /** Every input id, '' when empty. */
    values: Record<string, string>;
    /** Every input id, '' when fine. */
    errors: Record<string, string>;
    kindChoices: Choice[];
    staffChoices: Choice[];
    thresholdChoices: Choice[];
  };
  'adult-concerns/adult-concern-recorded': {
    reference: string;
    recordedAt: string;
    passedTo: string;
  };
  'adult-concerns/adult-concern-draft-saved': { draftId: string; message: string };
  'adult-concerns/adult-concern-resume': { draftId: string; savedAt: string };
  'alerts/adult-concern-alert': {
    concernId: string;
    title: string;
    reference: string;
    recordedAt: string;
    status: string;
    showAcknowledge: boolean;
  };
}

/** A choice in a ChoiceSet. */
export interface Choice {
  title: string;
  value: string;
}

/** Everything the incident form template binds (see cards/incidents/incident-form.json). */
interface IncidentFormCardData {
  draftId: string;
  banner: string;
  searchNote: string;
  maxDate: string;
  teamNote: string;
  showBodyMap: boolean;
  /** Every input id, '' when empty, so no binding is left unfilled. */
  values: Record<string, string>;
  /** Every input id, '' when fine. */
  errors: Record<string, string>;
  pupilChoices: Choice[];
  categoryChoices: Choice[];
  agencyChoices: Choice[];
  staffChoices: Choice[];
  roleChoices: Choice[];
  regionChoices: Choice[];
  sideChoices: Choice[];
  lateralityChoices: Choice[];
  linkedRows: { n: number; pupilId: string; role: string; pupilError: string; roleError: string }[];
  bodyRows: {
    n: number;
    region: string;
    side: string;
    laterality: string;
    description: string;
    error: string;
  }[];
}

export type CardName = keyof CardData;

/** An Adaptive Card as JSON, ready to attach. */
export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const CARDS_DIR = path.resolve(__dirname, '..', '..', 'cards');
const templates = new Map<CardName, unknown>();

/** Absolute path of a card template (cards/<name>.json). */
export function cardTemplatePath(name: CardName): string {
  return path.join(CARDS_DIR, `${name}.json`);
}

function loadTemplate(name: CardName): unknown {
  let template = templates.get(name);
  if (!template) {
    const file = cardTemplatePath(name);
    if (!fs.existsSync(file)) throw new AppError('TEMPLATE.UNKNOWN', `No card template ${name}`);
    template = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    templates.set(name, template);
  }
  return template;
}

/**
 * Fills a template from cards/ with typed data. Templates hold `${...}` bindings only, no logic
 * beyond `$when`/`$data`; the tests render every template with full and minimal fixtures and fail
 * on any binding left unfilled (the templating library leaves those as literal text).
 */
export function renderCard<N extends CardName>(name: N, data: CardData[N]): AdaptiveCardJson {
  const template = preparedTemplate(name);
  const card = template.expand({ $root: data }) as AdaptiveCardJson;
  delete card.$schema;
  return card;
}

/**
 * A card's Template, prepared once per card name (a few dozen, so the map is bounded): preparing
 * parses every `${...}` binding with the expression language's ANTLR parser, and doing it on each
 * render was in most of the event-loop stalls over 100 ms the soak's CPU profiles showed (issue 18
 * part 7). The library's Template is made to be bound to different data again and again; expand
 * is synchronous and builds a new card each time.
 */
const prepared = new Map<CardName, ACData.Template>();

function preparedTemplate(name: CardName): ACData.Template {
  let template = prepared.get(name);
  if (!template) {
    template = new ACData.Template(loadTemplate(name));
    prepared.set(name, template);
  }
  return template;
}
