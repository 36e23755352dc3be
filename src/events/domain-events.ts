import type { Logger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';

/**
 * What happened, announced after the write is durable. A payload carries ids and scope (and the
 * few header facts an alert card shows: reference, category names, who); never a narrative, an
 * action's text or a reason.
 */
export type DomainEvent =
  /** A record was stored (also announced again for a retried submit). */
  | ({ readonly type: 'incident.recorded'; readonly incidentId: string } & SchoolScope)
  /** A record was amended: its new version. */
  | ({
      readonly type: 'incident.amended';
      readonly incidentId: string;
      readonly amendmentId: string;
      readonly version: number;
    } & SchoolScope)
  /** An action was added to a record (also announced again for a repeated form). */
  | ({
      readonly type: 'action.added';
      readonly incidentId: string;
      readonly actionId: string;
    } & SchoolScope)
  /** A case was closed, with the decision action that is its outcome. */
  | ({
      readonly type: 'case.closed';
      readonly incidentId: string;
      readonly outcomeActionId: string;
    } & SchoolScope)
  /** A closed case was reopened (the reason stays with the case, not in the event). */
  | ({ readonly type: 'case.reopened'; readonly incidentId: string } & SchoolScope)
  /**
   * A child protection file was sent to the next school (its package, encrypted, offered by a
   * link). The receiving school's name is not child data; the package's contents stay with it.
   */
  | ({
      readonly type: 'transfer.sent';
      readonly transferId: string;
      readonly pupilId: string;
      readonly recipientSchool: string;
      readonly sentAt: Date;
      readonly sentBy: { readonly aadObjectId: string; readonly displayName: string };
      readonly sha256: string;
    } & SchoolScope)
  /** Someone acknowledged a record's alert for the first time. */
  | ({
      readonly type: 'alert.acknowledged';
      readonly incidentId: string;
      readonly alertId: string;
      readonly byAadObjectId: string;
      readonly onTeam: boolean;
    } & SchoolScope)
  /** A record's alert went one step further up the ladder (or a reminder): reports count steps. */
  | ({
      readonly type: 'alert.escalated';
      readonly incidentId: string;
      readonly step: number;
    } & SchoolScope)
  /** A record was disposed of (crypto-shredded): whatever keeps facts about it lets them go. */
  | ({ readonly type: 'record.disposed'; readonly incidentId: string } & SchoolScope);

type DomainEventType = DomainEvent['type'];

/** The event of one type, with its payload narrowed. */
type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

type DomainEventHandler<T extends DomainEventType> = (
  event: DomainEventOf<T>,
) => Promise<void> | void;

/**
 * The one in-process seam between a feature that writes and the features that follow up. No
 * broker: this is where a real one could sit later.
 *
 * - `publish` runs after the write is durable, and awaits every handler of the event's type, one
 *   after another in the order they subscribed: what follows a submit (alerts queued, the
 *   chronology indexed) is done before the submit answers, as it was when these were closures.
 * - A handler's failure never fails the publisher's operation nor stops the handlers after it: it
 *   is logged by event type and ids (never content) and the publisher carries on.
 * - Handlers are idempotent: a publisher may announce the same event again (a retried submit, a
 *   repeated form) and a crash between the write and a handler is healed by the existing
 *   reconcilers (the alert reconciler on the delivery worker's passes, the chronology's
 *   `reindexRecent` at start-up), which call the same idempotent code.
 */
export interface DomainEvents {
  publish(event: DomainEvent): Promise<void>;
  /** Returns a function that ends the subscription. */
  subscribe<T extends DomainEventType>(
    type: T,
    handler: DomainEventHandler<T>,
    options?: SubscribeOptions,
  ): () => void;
}

/** A handler's name in logs, so a failure says which follow-up failed. */
interface SubscribeOptions {
  readonly name?: string;
}

/** The ids of an event, for a log line (scope and ids only, whatever the payload grows to). */
function idsOf(event: DomainEvent): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('Id') && typeof value === 'string') ids[key] = value;
  }
  return ids;
}

/** DomainEvents in one process: handlers in a map, run in order, failures logged. */
export class InProcessDomainEvents implements DomainEvents {
  private readonly handlers = new Map<
    DomainEventType,
    { handler: (event: DomainEvent) => Promise<void> | void; name: string }[]
  >();

  constructor(private readonly logger?: Pick<Logger, 'error'>) {}

  subscribe<T extends DomainEventType>(
    type: T,
    handler: DomainEventHandler<T>,
    options: SubscribeOptions = {},
  ): () => void {
    const entry = {
      handler: handler as (event: DomainEvent) => Promise<void> | void,
      name: options.name ?? (handler.name || 'anonymous'),
    };
    const list = this.handlers.get(type) ?? [];
    list.push(entry);
    this.handlers.set(type, list);
    return () => {
      const current = this.handlers.get(type) ?? [];
      this.handlers.set(
        type,
        current.filter((e) => e !== entry),
      );
    };
  }

  async publish(event: DomainEvent): Promise<void> {
    for (const { handler, name } of [...(this.handlers.get(event.type) ?? [])]) {
      try {
        await handler(event);
      } catch (error) {
        this.logger?.error(
          {
            event: 'domain_event.handler_failed',
            type: event.type,
            handler: name,
            ...idsOf(event),
            code: (error as { code?: string } | undefined)?.code,
          },
          'domain event handler failed',
        );
      }
    }
  }
}
