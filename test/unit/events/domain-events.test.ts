import { InProcessDomainEvents, type DomainEvent } from '../../../src/events';

const SCOPE = { tenantId: 'tenant-1', schoolId: 'school-1' };
const RECORDED: DomainEvent = { type: 'incident.recorded', ...SCOPE, incidentId: 'incident-1' };
const ADDED: DomainEvent = {
  type: 'action.added',
  ...SCOPE,
  incidentId: 'incident-1',
  actionId: 'action-1',
};

function recordingLogger() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    logger: {
      error: (fields: Record<string, unknown>, message: string) => {
        lines.push({ fields, message });
      },
    } as never,
  };
}

describe('in-process domain events', () => {
  it('when an event is published, then its handlers run in the order they subscribed, each awaited', async () => {
    const events = new InProcessDomainEvents();
    const seen: string[] = [];
    events.subscribe('incident.recorded', async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen.push(`first:${e.incidentId}`);
    });
    events.subscribe('incident.recorded', (e) => {
      seen.push(`second:${e.incidentId}`);
    });
    await events.publish(RECORDED);
    expect(seen).toEqual(['first:incident-1', 'second:incident-1']);
  });

  it('when an event of another type is published, then a handler does not run', async () => {
    const events = new InProcessDomainEvents();
    const seen: string[] = [];
    events.subscribe('action.added', (e) => {
      // The payload is narrowed by its type: an action's id is there without a cast.
      seen.push(e.actionId);
    });
    await events.publish(RECORDED);
    expect(seen).toEqual([]);
    await events.publish(ADDED);
    expect(seen).toEqual(['action-1']);
  });

  it('when a handler fails, then the others still run, publish resolves and the failure is logged by type and ids only', async () => {
    const { logger, lines } = recordingLogger();
    const events = new InProcessDomainEvents(logger);
    const seen: string[] = [];
    events.subscribe(
      'incident.recorded',
      () => {
        throw Object.assign(new Error('narrative: something sensitive'), { code: 'STORE.DOWN' });
      },
      { name: 'alerts' },
    );
    events.subscribe('incident.recorded', () => {
      seen.push('after');
    });
    await expect(events.publish(RECORDED)).resolves.toBeUndefined();
    expect(seen).toEqual(['after']);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toEqual({
      event: 'domain_event.handler_failed',
      type: 'incident.recorded',
      handler: 'alerts',
      tenantId: 'tenant-1',
      schoolId: 'school-1',
      incidentId: 'incident-1',
      code: 'STORE.DOWN',
    });
    expect(JSON.stringify(lines)).not.toContain('sensitive');
  });

  it('when a subscription is ended, then its handler no longer runs', async () => {
    const events = new InProcessDomainEvents();
    const seen: string[] = [];
    const end = events.subscribe('incident.recorded', () => {
      seen.push('ran');
    });
    await events.publish(RECORDED);
    end();
    await events.publish(RECORDED);
    expect(seen).toEqual(['ran']);
  });
});
