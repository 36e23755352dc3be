import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { z } from 'zod';
import type { Alert, AlertService } from '../alerts';
import type { AuditTrail } from '../audit';
import type { SavedConversationReference } from '../conversations';
import type { School } from '../schools';
import type { Clock } from '../shared/clock';
import { AppError, isStoreUnavailableError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Actor } from '../staff';
import { COMMANDS, parseCommand, type CommandName } from './commands';
import { FILE_REFUSALS, type FileUploadFlow } from './file-upload/file-upload-flow';
import { FILE_VERBS } from './file-upload/file-verbs';
import type { HistoryFlow } from './chronology/history-flow';
import type { ReportFlow } from './incident-form/report-flow';
import type { ActionFlow } from './actions/action-flow';
import { inertText } from './inert-text';
import { renderAlertCard } from './alerts/alert-cards';
import { renderOpenAlerts } from './alerts/open-alerts-card';
import { renderCard, type AdaptiveCardJson } from './render-card';
import { VERBS } from './verbs';

/** What the bot needs from the features; narrow so tests can pass small fakes of our own. */
export interface BotDependencies {
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
  alerts: Pick<AlertService, 'acknowledge' | 'listOpen'>;
  /** Redraws other recipients' copies of an alert after an acknowledgement. */
  alertCards: { refresh(alert: Alert): Promise<void> };
  /** Wakes the delivery worker (an acknowledgement may have queued the recorder's receipt). */
  wakeAlerts?: () => void;
  report: Pick<
    ReportFlow,
    | 'start'
    | 'newForm'
    | 'discardAndStart'
    | 'resume'
    | 'searchPupils'
    | 'findPupil'
    | 'choosePupil'
    | 'submit'
    | 'saveForLater'
  >;
  files: Pick<FileUploadFlow, 'handleFileMessage' | 'attachFile'>;
  actionFlow: Pick<
    ActionFlow,
    'openForm' | 'submit' | 'completeTask' | 'addTaskNote' | 'listTasks'
  >;
  /** The `history` command and its cards. */
  history: Pick<HistoryFlow, 'start' | 'show'>;
  /** The Teams app id, for Open buttons into the tab. */
  teamsAppId?: string;
  /** Refusals at the edge (a forged sender) are audited like any other. */
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
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
const draftIdSchema = z.uuid();
const pupilIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);
const cursorSchema = z.string().min(1).max(400).optional();

const STORE_DOWN =
  "We couldn't reach the records store just now. Nothing was lost: what you typed is still in the card. Please try again in a minute, and if it keeps failing tell the DSL in person.";

/** A user-facing refusal or failure, answered as a message rather than an HTTP error. */
const REFUSALS: Partial<Record<string, string>> = {
  'STAFF.NOT_FOUND':
    "I can't find you in your school's staff list, so I can't record anything for you. Please ask your DSL or IT administrator to add you.",
  'STAFF.SEVERAL_SCHOOLS':
    'You are listed at more than one school, and choosing between them is not available yet. Please ask your IT administrator.',
  'IDENTITY.MISSING':
    'I could not tell who you are from this chat. Please message me from Microsoft Teams with your school account.',
  'INCIDENT.CONFLICT_OF_INTEREST':
    'You are recorded as having a conflict of interest with this pupil, so you cannot record about them here. Please speak to the DSL in person.',
  'INCIDENT.KEY_REUSED': 'This form cannot be used. Type report to start a new one.',
  ...FILE_REFUSALS,
  'ALERT.NOT_RECIPIENT': 'This alert was not sent to you, so you cannot acknowledge it.',
  'IDENTITY.MISMATCH':
    'This message did not come from the person this chat belongs to, so I have not acted on it. The attempt has been recorded.',
  'INCIDENT.NOT_FOUND': 'I could not find that record, or it is not one you can see.',
  'ACCESS.STEP_UP_REQUIRED':
    'Seeing this needs a recent second sign-in. Open the Safeguarding tab, sign in again, then try here.',
  'ACCESS.DENIED': 'That is only available to the safeguarding team.',
  'ACTION.RECORD_NOT_FOUND': 'That record could not be found at your school.',
  'ACTION.NOT_FOUND': 'That task could not be found at your school.',
  'ACTION.NOT_ASSIGNEE':
    'Only the person the task is assigned to, or the safeguarding team, can mark it done.',
  'ACTION.KEY_REUSED': 'This form cannot be used again. Open a new action form from the alert.',
  'CHRONOLOGY.PUPIL_NOT_FOUND': 'I could not find that pupil at your school.',
  'CHRONOLOGY.BAD_CURSOR': 'That list has changed. Type history and the pupil\u2019s name again.',
};

/**
 * The thin Teams layer: saves where to reach each user, greets on install, routes commands and
 * card verbs to the features, renders their answers. No safeguarding rule lives here.
 */
export class SafeguardingBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDependencies) {
    super();

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

  /** Card buttons (Action.Execute). Answers within Teams' 5 s with a card or a message. */
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
    try {
      const actor = await this.actorOf(context);
      const card = await this.runVerb(context, actor, verb, data);
      return card ? cardResponse(card) : messageResponse('That button is no longer available.');
    } catch (error) {
      if (isStoreUnavailableError(error)) {
        // A message answer leaves the card, and everything typed in it, as it is on screen.
        this.deps.logger.error({ event: 'bot.store_unavailable', verb }, 'store unavailable');
        return messageResponse(STORE_DOWN);
      }
      const refusal = error instanceof AppError ? REFUSALS[error.code] : undefined;
      if (!refusal) throw error;
      this.deps.logger.warn({ event: 'bot.refused', code: (error as AppError).code }, 'refused');
      return messageResponse(refusal);
    }
  }

  private async runVerb(
    context: TurnContext,
    actor: Actor,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCardJson | undefined> {
    const draftId = draftIdSchema.safeParse(data.draftId);
    const report = this.deps.report;
    switch (verb) {
      case VERBS.submitIncident:
      case VERBS.saveDraft: {
        if (!draftId.success) return undefined;
        const result =
          verb === VERBS.submitIncident
            ? await report.submit(actor, draftId.data, data)
            : await report.saveForLater(actor, draftId.data, data);
        // The invoke answer changes the clicker's view; updating the message makes sure the chat
        // transcript itself keeps no narrative once the form is done with.
        if (result.replaceMessage) await replaceMessage(context, result.card);
        return result.card;
      }
      case VERBS.acknowledgeAlert: {
        const alertId = draftIdSchema.safeParse(data.alertId);
        if (!alertId.success) return undefined;
        const result = await this.deps.alerts.acknowledge(actor, alertId.data);
        if (result.changed) this.deps.wakeAlerts?.();
        // Others' cards are redrawn in the background: the clicker's answer must beat Teams' 5 s.
        for (const other of result.othersToUpdate) {
          void this.deps.alertCards.refresh(other).catch(() => undefined);
        }
        return renderAlertCard(result.alert, result.acknowledgements, this.deps.teamsAppId);
      }
      case VERBS.searchPupils:
        return draftId.success ? report.searchPupils(actor, draftId.data, data) : undefined;
      case VERBS.findPupil:
        return draftId.success ? report.findPupil(actor, draftId.data, data) : undefined;
      case VERBS.choosePupil: {
        const pupilId = pupilIdSchema.safeParse(data.pupilId);
        return draftId.success && pupilId.success
          ? report.choosePupil(actor, draftId.data, pupilId.data)
          : undefined;
      }
      case VERBS.resumeDraft:
        return draftId.success ? report.resume(actor, draftId.data) : undefined;
      case VERBS.newForm: {
        const discard = draftIdSchema.safeParse(data.discardDraftId);
        const query = typeof data.pupilQuery === 'string' ? data.pupilQuery.slice(0, 200) : '';
        return discard.success
          ? report.discardAndStart(actor, discard.data, query)
          : report.newForm(actor, query);
      }
      case VERBS.openActionForm:
      case VERBS.submitAction:
      case VERBS.completeTask:
      case VERBS.addTaskNote:
        return this.runActionVerb(actor, verb, data);
      case VERBS.showHistory:
      case VERBS.moreHistory: {
        const pupilId = pupilIdSchema.safeParse(data.pupilId);
        const cursor = cursorSchema.safeParse(data.cursor || undefined);
        if (!pupilId.success || !cursor.success) return undefined;
        return this.deps.history.show(actor, pupilId.data, cursor.data, context.activity.id);
      }
      case FILE_VERBS.attachFile:
        return this.deps.files.attachFile(actor, data);
      default:
        return undefined;
    }
  }

  private async runActionVerb(
    actor: Actor,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCardJson | undefined> {
    const flow = this.deps.actionFlow;
    if (verb === VERBS.submitAction) return flow.submit(actor, data);
    const incidentId = draftIdSchema.safeParse(data.incidentId);
    const actionId = draftIdSchema.safeParse(data.actionId);
    if (verb === VERBS.openActionForm) {
      return incidentId.success ? flow.openForm(actor, incidentId.data) : undefined;
    }
    if (!actionId.success) return undefined;
    return verb === VERBS.completeTask
      ? flow.completeTask(actor, actionId.data)
      : flow.addTaskNote(actor, actionId.data);
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
    if (command === 'report') {
      await sendCard(context, await this.deps.report.start(actor, argument));
      return;
    }
    if (command === 'actions') {
      await sendCard(context, await this.deps.actionFlow.listTasks(actor));
      return;
    }
    if (command === 'history') {
      const answer = await this.deps.history.start(actor, argument, context.activity.id);
      if (typeof answer === 'string') await context.sendActivity(answer);
      else await sendCard(context, answer);
      return;
    }
    if (command === 'alerts') {
      await sendCard(context, renderOpenAlerts(await this.deps.alerts.listOpen(actor)));
      return;
    }
    await sendCard(context, helpCard(command));
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
        await this.deps.audit.record({
          tenantId: actor.tenantId,
          schoolId: actor.schoolId,
          actorAadObjectId: actor.aadObjectId,
          action: 'access.denied',
          target: { kind: 'session', id: 'personal-chat' },
          reason: 'identity-mismatch: sender is not the owner of this 1:1 chat',
          ...(context.activity.id ? { requestId: context.activity.id.slice(0, 200) } : {}),
        });
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
      const refusal = error instanceof AppError ? REFUSALS[error.code] : undefined;
      if (!refusal) throw error;
      const code = (error as AppError).code;
      this.deps.logger.warn(
        { event: 'bot.refused', code, tenantId: readIdentity(context.activity)?.tenantId },
        code,
      );
      await context.sendActivity(refusal);
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

async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

async function replaceMessage(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  await context.updateActivity({
    ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
    id,
  });
}

function cardResponse(card: AdaptiveCardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // botbuilder types value as a card; Teams accepts a text for the message type.
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as AdaptiveCardInvokeResponse['value'],
  };
}
