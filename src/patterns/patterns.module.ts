import type { Connection } from 'mongoose';
import type { DomainEvents } from '../events';
import { PatternRepository } from './pattern.repository';
import { PatternService, type PatternSources } from './pattern.service';

/**
 * Pattern rules over recorded concerns. Subscribes to `incident.recorded` (after alerts and the
 * chronology: a flag's card follows the concern's own alert); what a crash between the record and
 * this handler missed is evaluated by `catchUp`, which the app runs at start-up and then every few
 * minutes, like the alert reconciler.
 */
export function createPatternsModule(
  connection: Connection,
  deps: PatternSources & { readonly events: Pick<DomainEvents, 'subscribe'> },
) {
  const patterns = new PatternService(new PatternRepository(connection), deps);
  deps.events.subscribe(
    'incident.recorded',
    async (event) => {
      await patterns.evaluate(event, event.incidentId);
    },
    { name: 'patterns.evaluate-record' },
  );
  return { patterns };
}
