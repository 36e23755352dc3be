import type { Action } from '../actions';
import type { SchoolScope } from '../shared/school-scope';
import type { ChronologyEntry, ChronologySource } from './chronology.types';
import {
  linesOfRecords,
  type OwnLine,
  type RecordIndexReader,
  type SourceOptions,
} from './record-lines';

/** Actions of some records, newest first (ActionService provides it). */
interface ActionReader {
  listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
    limit: number,
  ): Promise<Action[]>;
}

const TITLES: Record<Action['details']['kind'], string> = {
  note: 'Action: note',
  conversation: 'Action: conversation',
  'phone-call': 'Action: phone call',
  meeting: 'Action: meeting',
  referral: 'Action: referral',
  decision: 'Action: decision',
  task: 'Action: task',
};

const MAX_ACTIONS = 5_000;

/**
 * Actions as chronology lines of their own, placed by when they happened. An action belongs to a
 * record: it takes the record's categories (for the filter), the pupil's role in it, and the
 * record's access facts, so the policy hides an action exactly when it hides its record. Never the
 * action's text: that is in the record view.
 */
export class ActionChronologySource implements ChronologySource {
  readonly type = 'action' as const;

  constructor(
    private readonly index: RecordIndexReader,
    private readonly actions: ActionReader,
  ) {}

  async entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<ChronologyEntry[]> {
    return linesOfRecords(
      this.index,
      scope,
      pupilId,
      options,
      (ids) => this.actions.listForIncidents(scope, ids, MAX_ACTIONS),
      toLine,
    );
  }
}

function toLine(action: Action): OwnLine {
  return {
    entryId: `action:${action.actionId}`,
    type: 'action',
    happenedAt: action.happenedAt,
    recordedAt: action.recordedAt,
    recordedByName: action.author.displayName,
    amended: false,
    title: TITLES[action.details.kind],
  };
}
