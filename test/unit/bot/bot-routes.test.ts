import type { ActionRoutesFlow } from '../../../src/bot/actions/action-routes';
import { actionRoutes } from '../../../src/bot/actions/action-routes';
import { alertRoutes, type AlertRoutesDependencies } from '../../../src/bot/alerts/alert-routes';
import { BotRoutes, type BotRoute } from '../../../src/bot/bot-routes';
import { historyRoutes, type HistoryRoutesFlow } from '../../../src/bot/chronology/history-routes';
import { COMMANDS } from '../../../src/bot/commands';
import { deskRoutes, type DeskRoutesDependencies } from '../../../src/bot/desk/desk-routes';
import { fileRoutes, type FileRoutesFlow } from '../../../src/bot/file-upload/file-routes';
import { FILE_VERBS } from '../../../src/bot/file-upload/file-verbs';
import { reportRoutes, type ReportRoutesFlow } from '../../../src/bot/incident-form/report-routes';
import { VERBS } from '../../../src/bot/verbs';
import {
  adultConcernRoutes,
  type AdultConcernRoutesFlow,
} from '../../../src/bot/adult-concerns/adult-concern-routes';
import { AppError } from '../../../src/shared/errors';

const answer = async () => undefined;
const verb = (name: string): BotRoute => ({ kind: 'invoke', verb: name, handle: answer });

/** Every flow's routes, as the bot registers them; registering reads nothing of the flows. */
function everyFlowsRoutes(): BotRoute[] {
  return [
    ...reportRoutes({} as ReportRoutesFlow),
    ...actionRoutes({} as ActionRoutesFlow),
    ...historyRoutes({} as HistoryRoutesFlow),
    ...fileRoutes({} as FileRoutesFlow),
    ...deskRoutes({} as DeskRoutesDependencies),
    ...alertRoutes({} as AlertRoutesDependencies),
    ...adultConcernRoutes({} as AdultConcernRoutesFlow),
  ];
}

describe('the bot routing table', () => {
  it('when two flows register the same verb, then building the table fails', () => {
    const build = () => new BotRoutes([verb('incident.submit'), verb('incident.submit')]);
    expect(build).toThrow(AppError);
    expect(build).toThrow(expect.objectContaining({ code: 'BOT.DUPLICATE_ROUTE' }));
  });

  it('when two flows register the same command, then building the table fails', () => {
    const command: BotRoute = { kind: 'message', command: 'report', handle: async () => '' };
    expect(() => new BotRoutes([command, command])).toThrow(
      expect.objectContaining({ code: 'BOT.DUPLICATE_ROUTE' }),
    );
  });

  it('when a verb and a command share a name, then both are routed', () => {
    const command: BotRoute = { kind: 'message', command: 'report', handle: async () => '' };
    const table = new BotRoutes([command, verb('report')]);
    expect(table.command('report')).toBe(command);
    expect(table.verb('report')?.kind).toBe('invoke');
  });

  it('when a verb is unknown or names a property of every object, then it has no route', () => {
    const table = new BotRoutes(everyFlowsRoutes());
    for (const name of ['no.such.verb', '__proto__', 'constructor', 'toString', '']) {
      expect(table.verb(name)).toBeUndefined();
    }
  });

  it('when every flow registers, then each card verb has one route and only help has none', () => {
    const table = new BotRoutes(everyFlowsRoutes());
    for (const name of [...Object.values(VERBS), ...Object.values(FILE_VERBS)]) {
      expect(table.verb(name)?.verb).toBe(name);
    }
    const unrouted = COMMANDS.map((c) => c.command).filter((c) => !table.command(c));
    expect(unrouted).toEqual(['help']);
    expect(table.command(undefined)).toBeUndefined();
  });
});
