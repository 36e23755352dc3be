import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type InvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { z } from 'zod';
import { auditEvent, type AuditTrail } from '../audit';
import type { SavedConversationReference } from '../conversations';
import type { School } from '../schools';
import type { Clock } from '../shared/clock';
import { withinDeadline } from '../shared/deadline';
import { AppError, isStoreUnavailableError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Actor } from '../staff';
import { actionRoutes, type ActionRoutesFlow } from './actions/action-routes';
import { alertRoutes, type AlertRoutesDependencies } from './alerts/alert-routes';
import { BotRoutes } from './bot-routes';
import { deskRoutes, type DeskRoutesDependencies } from './desk/desk-routes';
import { historyRoutes, type HistoryRoutesFlow } from './chronology/history-routes';
import { COMMANDS, parseCommand, type CommandName } from './commands';
import { fileRoutes, type FileRoutesFlow } from './file-upload/file-routes';
import { reportRoutes, type ReportRoutesFlow } from './incident-form/report-routes';
import {
  adultConcernRoutes,
  type AdultConcernRoutesFlow,
} from './adult-concerns/adult-concern-routes';
import { inertText } from './inert-text';
import { malformedCardInvoke } from './malformed-invoke';
import { refusalOf } from './refusals';
import { renderCard, type AdaptiveCardJson } from './render-card';
import { cardResponse, messageResponse, sendCard } from './replies';

/** What the bot needs from the features; narrow so tests can pass small fakes of our own. */
export interface BotDependencies extends AlertRoutesDependencies, DeskRoutesDependencies {
  staff: { resolveActor(tenantId: string, aadObjectId: string): Promise<Actor> };
  schools: { get(tenantId: string, schoolId: string): Promise<School | undefined> };
  references: {
    save(ref: SavedConversationReference): Promise<void>;
    ownersOfPersonalChat(tenantId: string, conversationId: string): Promise<string[]>;
    claimWelcome(
      tenantId: string,
      schoolId: string,
      aadObjectId: string,
      now: Date,
    ): Promise<boolean>;
  };
  report: ReportRoutesFlow;
  files: FileRoutesFlow;
  actionFlow: ActionRoutesFlow;
  /** The `history` command and its cards. */
  history: HistoryRoutesFlow;
  /** `concern about an adult`, its form and the case manager's Acknowledge. */
  adultConcernFlow: AdultConcernRoutesFlow;
  /** Refusals at the edge (a forged sender) are audited like any other. */
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  /** How long a card button may take before it answers "not yet" (default 4 s). */
  invokeDeadlineMs?: number;
}

/** Who is acting, as Teams says in the activity; everything else comes from our store. */
interface TeamsIdentity {
  tenantId: string;
  aadObjectId: string;
}

// Action.Execute payloads are checked as unknown: any client can post anything.
const invokeSchema = z.object({
  action: z.object({
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

const STORE_DOWN =
  "We couldn't reach the records store just now. Nothing was lost: what you typed is still in the card. Please try again in a minute, and if it keeps failing tell the DSL in person.";

// "Not confirmed", not "not saved": the work goes on and may finish a moment later.
const STORE_SLOW =
  'Not confirmed yet: the records store is slow to answer. Nothing was lost: what you typed is still in the card. Please press the button again in a minute (nothing is ever recorded twice), and if it keeps failing tell the DSL in person.';

/**
 * Teams waits about five seconds for a card button's answer, then shows an error of its own and
 * the person cannot tell whether anything was saved. A store that stalls (rather than refusing,
 * which fails at once) would hold every button that long: answer before Teams gives up.
 */
const DEFAULT_INVOKE_DEADLINE_MS = 4_000;

/**
 * The thin Teams layer: saves where to reach each user, greets on install, routes commands and
 * card verbs to the features, renders their answers. No safeguarding rule lives here.
 */
export class SafeguardingBot extends TeamsActivityHandler {
  /** Every flow's verbs and commands; a name registered twice fails here, at start-up. */
  private readonly routes: BotRoutes;

  constructor(private readonly deps: BotDependencies) {
    super();
    this.routes = new BotRoutes([
      ...reportRoutes(deps.report),
      ...actionRoutes(deps.actionFlow),
      ...historyRoutes(deps.history),
      ...fileRoutes(deps.files),
      ...alertRoutes(deps),
      ...deskRoutes(deps),
      ...adultConcernRoutes(deps.adultConcernFlow),
    ]);

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.refusingPolitely(context, () => this.greet(context));
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) {
        await this.refusingPolitely(context, () => this.greet(context));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.refusingPolitely(context, () => this.answer(context));
      await next();
    });
  }

  /** A card invoke botbuilder itself cannot read is answered here, not with its bare 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    return malformedCardInvoke(context.activity) ?? super.onInvokeActivity(context);
  }

  /**
   * Card buttons (Action.Execute). Answers within Teams' 5 s with a card or a message: work still
   * running at the deadline goes on (every verb is idempotent: one record per form, one
   * acknowledgement per alert), and the person is told it is not saved yet, with the card as it
   * was on screen (a message answer does not replace it).
   */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const parsed = invokeSchema.safeParse(invokeValue);
    if (!parsed.success) return messageResponse('That button sent something I did not understand.');
    const { verb, data = {} } = parsed.data.action;
    this.deps.logger.info(
      { event: 'bot.verb', verb, activityId: context.activity.id },
      'card action',
    );
    const answered = await withinDeadline(
      this.runVerb(context, verb, data),
      this.deps.invokeDeadlineMs ?? DEFAULT_INVOKE_DEADLINE_MS,
    );
    if (answered.done) return answered.value;
    this.deps.logger.error({ event: 'bot.invoke_late', verb }, 'card action answered late');
    return messageResponse(STORE_SLOW);
  }

  private async runVerb(
    context: TurnContext,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCardInvokeResponse> {
    try {
      const actor = await this.actorOf(context);
      const card = await this.routes.verb(verb)?.handle({ actor, data, context });
      return card ? cardResponse(card) : messageResponse('That button is no longer available.');
    } catch (error) {
      if (isStoreUnavailableError(error)) {
        // A message answer leaves the card, and everything typed in it, as it is on screen.
        this.deps.logger.error({ event: 'bot.store_unavailable', verb }, 'store unavailable');
        return messageResponse(STORE_DOWN);
      }
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      this.deps.logger.warn({ event: 'bot.refused', code: refusal.code }, 'refused');
      return messageResponse(refusal.message);
    }
  }

  private async greet(context: TurnContext): Promise<void> {
    const actor = await this.rememberUser(context);
    const first = await this.deps.references.claimWelcome(
      actor.tenantId,
      actor.schoolId,
      actor.aadObjectId,
      this.deps.clock.now(),
    );
    if (!first) return;
    const school = await this.deps.schools.get(actor.tenantId, actor.schoolId);
    const firstName = actor.displayName.trim().split(/\s+/)[0] || 'there';
    await sendCard(
      context,
      renderCard('core/welcome', {
        firstName: inertText(firstName),
        schoolName: inertText(school?.name ?? 'your school'),
      }),
    );
    this.deps.logger.info({ event: 'bot.welcomed', tenantId: actor.tenantId }, 'welcome sent');
  }

  private async answer(context: TurnContext): Promise<void> {
    const actor = await this.rememberUser(context);
    if (await this.deps.files.handleFileMessage(context, actor)) return;
    const { command, argument } = parseCommand(context.activity.text);
    this.deps.logger.info(
      { event: 'bot.command', command: command ?? 'unknown', activityId: context.activity.id },
      'message received',
    );
    const route = this.routes.command(command);
    if (!route) {
      await sendCard(context, helpCard(command));
      return;
    }
    const reply = await route.handle({ actor, argument, context });
    if (typeof reply === 'string') await context.sendActivity(reply);
    else await sendCard(context, reply);
  }

  /**
   * Resolves the actor from our staff directory and saves their conversation reference (refreshed
   * on every message, so alerts use the newest serviceUrl). Deny by default: someone not in the
   * directory gets a refusal and nothing is stored.
   */
  private async rememberUser(context: TurnContext): Promise<Actor> {
    const actor = await this.actorOf(context);
    const reference = TurnContext.getConversationReference(context.activity);
    await this.deps.references.save({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      aadObjectId: actor.aadObjectId,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      updatedAt: this.deps.clock.now(),
    });
    return actor;
  }

  /**
   * The actor from the activity's Entra identity and our directory (never from card data). A 1:1
   * chat belongs to one person: a message on someone else's chat claiming to be from this person
   * is refused and audited, whatever the `from` says.
   */
  private async actorOf(context: TurnContext): Promise<Actor> {
    const identity = readIdentity(context.activity);
    if (!identity) throw new AppError('IDENTITY.MISSING', 'activity has no Entra identity');
    const actor = await this.deps.staff.resolveActor(identity.tenantId, identity.aadObjectId);
    const conversation = context.activity.conversation;
    if (conversation?.conversationType === 'personal' && conversation.id) {
      const owners = await this.deps.references.ownersOfPersonalChat(
        identity.tenantId,
        conversation.id,
      );
      if (owners.some((owner) => owner !== actor.aadObjectId)) {
        await this.deps.audit.record(
          auditEvent(
            actor,
            'access.denied',
            { kind: 'session', id: 'personal-chat' },
            {
              reason: 'identity-mismatch: sender is not the owner of this 1:1 chat',
              requestId: context.activity.id?.slice(0, 200),
            },
          ),
        );
        throw new AppError('IDENTITY.MISMATCH', 'sender does not own this personal chat');
      }
    }
    return actor;
  }

  /** Turns the refusals users can act on into a polite message; anything else is a real error. */
  private async refusingPolitely(context: TurnContext, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      this.deps.logger.warn(
        {
          event: 'bot.refused',
          code: refusal.code,
          tenantId: readIdentity(context.activity)?.tenantId,
        },
        refusal.code,
      );
      await context.sendActivity(refusal.message);
    }
  }
}

/** The help card, with a friendly notice when what was typed is not a command. */
function helpCard(command: CommandName | undefined): AdaptiveCardJson {
  return renderCard('core/help', {
    notice: command === undefined ? "Sorry, I didn't understand that. Here is what I can do." : '',
    commands: COMMANDS.map((c) => ({ command: c.command, description: c.description })),
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
