import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
} from 'botbuilder';
import type { SavedConversationReference } from '../conversations';
import type { School } from '../schools';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { COMMANDS, parseCommand, type CommandName } from './commands';
import { renderCard, type AdaptiveCardJson } from './render-card';

/** What the bot needs from the features; narrow so tests can pass small fakes of our own. */
export interface BotDependencies {
  schools: { resolveSchool(tenantId: string): Promise<School> };
  references: {
    save(ref: SavedConversationReference): Promise<void>;
    claimWelcome(
      tenantId: string,
      schoolId: string,
      aadObjectId: string,
      now: Date,
    ): Promise<boolean>;
  };
  clock: Clock;
  logger: Logger;
}

/** Who is acting, as Teams says in the activity (the school comes from our store). */
interface TeamsIdentity {
  tenantId: string;
  aadObjectId: string;
}

/**
 * The thin Teams layer: saves where to reach each user, greets on install, routes text commands
 * to cards. No safeguarding rule lives here.
 */
export class SafeguardingBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDependencies) {
    super();

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.greet(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.greet(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async greet(context: TurnContext): Promise<void> {
    const known = await this.rememberUser(context);
    if (!known) return;
    const { identity, school } = known;
    const first = await this.deps.references.claimWelcome(
      identity.tenantId,
      school.schoolId,
      identity.aadObjectId,
      this.deps.clock.now(),
    );
    if (!first) return;
    const firstName = (context.activity.from?.name ?? '').trim().split(/\s+/)[0] || 'there';
    await sendCard(context, renderCard('core/welcome', { firstName, schoolName: school.name }));
    this.deps.logger.info({ event: 'bot.welcomed', tenantId: identity.tenantId }, 'welcome sent');
  }

  private async answer(context: TurnContext): Promise<void> {
    const known = await this.rememberUser(context);
    if (!known) return;
    const { command } = parseCommand(context.activity.text);
    this.deps.logger.info(
      { event: 'bot.command', command: command ?? 'unknown', activityId: context.activity.id },
      'message received',
    );
    await sendCard(context, helpCard(command));
  }

  /**
   * Saves the user's conversation reference (refreshed on every message, so alerts use the newest
   * serviceUrl). Replies with a refusal and returns undefined when the user cannot be placed in a
   * school: deny by default.
   */
  private async rememberUser(
    context: TurnContext,
  ): Promise<{ identity: TeamsIdentity; school: School } | undefined> {
    const identity = readIdentity(context.activity);
    if (!identity) {
      await context.sendActivity(
        'I could not tell who you are from this chat. Please message me from Microsoft Teams with your school account.',
      );
      return undefined;
    }
    let school: School;
    try {
      school = await this.deps.schools.resolveSchool(identity.tenantId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'SCHOOL.NOT_CONFIGURED') throw error;
      this.deps.logger.warn(
        { event: 'bot.unknown_tenant', tenantId: identity.tenantId },
        error.code,
      );
      await context.sendActivity(
        "Your organisation isn't set up for safeguarding records yet. Please ask your school's IT administrator or DSL.",
      );
      return undefined;
    }
    const reference = TurnContext.getConversationReference(context.activity);
    await this.deps.references.save({
      tenantId: identity.tenantId,
      schoolId: school.schoolId,
      aadObjectId: identity.aadObjectId,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      updatedAt: this.deps.clock.now(),
    });
    return { identity, school };
  }
}

/** The help card; for a command that has not landed yet, it says so instead of failing silently. */
function helpCard(command: CommandName | undefined): AdaptiveCardJson {
  const current = COMMANDS.find((c) => c.command === command);
  const notice =
    command === undefined
      ? "Sorry, I didn't understand that. Here is what I can do."
      : current && !current.available
        ? `"${current.command}" is not available in this version yet.`
        : '';
  return renderCard('core/help', {
    notice,
    commands: COMMANDS.map((c) => ({
      command: c.command,
      description: c.available ? c.description : `${c.description} (coming soon)`,
    })),
  });
}

function readIdentity(activity: Partial<Activity>): TeamsIdentity | undefined {
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant
    ?.id;
  const tenantId =
    activity.conversation?.tenantId ??
    (typeof channelTenant === 'string' ? channelTenant : undefined);
  const aadObjectId = activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId) return undefined;
  return { tenantId, aadObjectId };
}

async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
