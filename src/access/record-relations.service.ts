import type { SchoolScope } from '../shared/school-scope';

/** Who a record reaches besides its recorder: one reading for access checks and chronologies. */
export interface RecordRelation {
  /** Everyone an alert about the record was addressed to (chosen by the recorder, or escalation). */
  readonly alerted: readonly string[];
  /** Everyone invited to the record later (an action's recipients, a task's assignee). */
  readonly invited: readonly string[];
}

/**
 * Where the relations are written down. Ports, not features: access/ sits below alerts/ and
 * actions/, which provide these from their repositories.
 */
export interface RecordRelationSources {
  /** The recipients of the alerts sent about one record (the alert outbox). */
  alertedAbout(scope: SchoolScope, incidentId: string): Promise<readonly string[]>;
  /** Per record: the people its actions alerted and its tasks' assignees. */
  invitedTo(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>>;
}

/** Per record, who it reaches: read by RecordAccess, the chronology and the record view. */
export class RecordRelationsService {
  constructor(private readonly sources: RecordRelationSources) {}

  async relationsOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, RecordRelation>> {
    const [alerted, invited] = await Promise.all([
      Promise.all(
        incidentIds.map(async (id) => [id, await this.sources.alertedAbout(scope, id)] as const),
      ),
      this.sources.invitedTo(scope, incidentIds),
    ]);
    return new Map(
      alerted.map(([id, recipients]) => [
        id,
        { alerted: recipients, invited: invited.get(id) ?? [] },
      ]),
    );
  }
}
