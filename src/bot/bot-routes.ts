import type { TurnContext } from 'botbuilder';
import { AppError } from '../shared/errors';
import type { Actor } from '../staff';
import type { CommandName } from './commands';
import type { AdaptiveCardJson } from './render-card';

/** A card button pressed (an Action.Execute invoke), as the verb's handler sees it. */
export interface VerbTurn {
  /** Who pressed: the activity's Entra identity through our directory, never the card's data. */
  readonly actor: Actor;
  /** What the card sent, unchecked: each handler parses the fields it uses. */
  readonly data: Record<string, unknown>;
  readonly context: TurnContext;
}

/** A typed command (a message), as the command's handler sees it. */
interface CommandTurn {
  /** Who wrote, resolved as for a verb; their conversation reference is already saved. */
  readonly actor: Actor;
  /** What was typed after the command word. */
  readonly argument: string;
  readonly context: TurnContext;
}

/**
 * A card verb a flow answers. The answer replaces the card; undefined means the data is not what
 * the verb needs (an old or forged card), which the person sees as "no longer available".
 */
export interface VerbRoute {
  readonly kind: 'invoke';
  readonly verb: string;
  readonly handle: (turn: VerbTurn) => Promise<AdaptiveCardJson | undefined>;
}

/** A chat command a flow answers, with a card or a plain message. */
export interface CommandRoute {
  readonly kind: 'message';
  readonly command: CommandName;
  readonly handle: (turn: CommandTurn) => Promise<AdaptiveCardJson | string>;
}

/** What a flow registers with the bot: the verbs and commands it answers. */
export type BotRoute = VerbRoute | CommandRoute;

/**
 * The bot's routing table, built once at start-up from every flow's routes. A verb or command
 * registered twice throws there, so two flows can never silently race for the same button.
 */
export class BotRoutes {
  // Maps, not objects: a verb comes from the client, and '__proto__' or 'constructor' must not
  // find anything.
  private readonly verbs = new Map<string, VerbRoute>();
  private readonly commands = new Map<CommandName, CommandRoute>();

  constructor(routes: readonly BotRoute[]) {
    for (const route of routes) {
      if (route.kind === 'invoke') addOnce(this.verbs, route.verb, route);
      else addOnce(this.commands, route.command, route);
    }
  }

  /** The route of a card verb; undefined for a verb no flow answers. */
  verb(verb: string): VerbRoute | undefined {
    return this.verbs.get(verb);
  }

  /** The route of a command; undefined for help and for text that is not a command. */
  command(command: CommandName | undefined): CommandRoute | undefined {
    return command === undefined ? undefined : this.commands.get(command);
  }
}

function addOnce<K extends string, V>(routes: Map<K, V>, name: K, route: V): void {
  if (routes.has(name)) {
    throw new AppError('BOT.DUPLICATE_ROUTE', `the bot route ${name} is registered twice`);
  }
  routes.set(name, route);
}
