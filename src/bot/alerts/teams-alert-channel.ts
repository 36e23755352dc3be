import {
  CardFactory,
  MessageFactory,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { Acknowledgement, Alert, AlertChannel, AlertCopy, Delivered } from '../../alerts';
import type { SavedConversationReference } from '../../conversations';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { SchoolScope } from '../../shared/school-scope';
import { renderAlertCard } from './alert-cards';

interface ReferenceStore {
  find(tenantId: string, aadObjectId: string): Promise<SavedConversationReference | undefined>;
  save(ref: SavedConversationReference): Promise<void>;
  newestInTenant(tenantId: string): Promise<SavedConversationReference | undefined>;
}

interface AcknowledgementReader {
  acknowledgementsOf(scope: SchoolScope, incidentId: string): Promise<Acknowledgement[]>;
}

/**
 * The outbox retries alerts durably (backoff with jitter, Retry-After, our own rate limits) and
 * must see each failure at once. botbuilder's connector client would otherwise retry inside the
 * call, sleeping through a Retry-After while it holds a worker slot. botbuilder 4.23 passes no retry
 * options to its Azure pipeline, so the retry policy is removed from this turn's client. A test
 * (test/integration/alerts/delivery.test.ts, 429 with Retry-After) fails if this stops working.
 */
function withoutConnectorRetries(
  context: TurnContext,
  adapter: CloudAdapter,
  deadlineMs: number,
): void {
  const client = context.turnState.get(adapter.ConnectorClientKey) as
    { client?: { pipeline?: PipelineLike } } | undefined;
  const pipeline = client?.client?.pipeline;
  if (!pipeline) return;
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  // A send must end well inside the worker's lease (30 s), or another instance could claim the
  // alert while this send is still in flight and send it twice. The Azure pipeline sets no request
  // timeout by default; a timed-out send is a network failure, which the worker retries.
  pipeline.removePolicy({ name: SEND_DEADLINE_POLICY });
  pipeline.addPolicy({
    name: SEND_DEADLINE_POLICY,
    sendRequest: (request, next) => {
      request.timeout = deadlineMs;
      return next(request);
    },
  });
}

const SEND_DEADLINE_POLICY = 'alertSendDeadline';

interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { timeout: number },
      next: (request: { timeout: number }) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

/**
 * Sends alert cards proactively through the real CloudAdapter: to the saved 1:1 conversation, or
 * by opening one by Entra object id when there is none (the app must be installed for the person;
 * otherwise Teams answers 403 and the worker marks the alert undeliverable). Failures are thrown as
 * botbuilder reports them (status code, Retry-After header) for the worker to classify.
 */
export class TeamsAlertChannel implements AlertChannel {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly references: ReferenceStore,
    private readonly acknowledgements: AcknowledgementReader,
    private readonly logger: Logger,
    /** How long one send may take before it counts as a (retried) network failure. */
    private readonly sendDeadlineMs = 15_000,
    /** The Teams app id, so cards carry an Open button into the tab. */
    private readonly teamsAppId?: string,
  ) {}

  async chatIdFor(alert: Alert): Promise<string | undefined> {
    const saved = await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    return (saved?.reference.conversation as { id?: string } | undefined)?.id;
  }

  async send(alert: Alert, options: { reopen: boolean; sendId?: string }): Promise<Delivered> {
    const activity = await this.cardActivity(alert, options.sendId);
    // The notification preview shows this summary: reference only, never a name.
    activity.summary = `Safeguarding: ${alert.reference}`;
    const saved = options.reopen
      ? undefined
      : await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    const deliver = async (context: TurnContext): Promise<Delivered> => {
      const response = await context.sendActivity(activity);
      return { activityId: response?.id ?? '', conversationId: context.activity.conversation.id };
    };
    if (saved) {
      const reference = saved.reference as Partial<ConversationReference>;
      return this.capture(
        (logic) => this.adapter.continueConversationAsync(this.appId, reference, logic),
        deliver,
      );
    }
    const { serviceUrl, bot } = await this.tenantEndpoint(alert.tenantId);
    return this.capture(
      (logic) =>
        this.adapter.createConversationAsync(
          this.appId,
          'msteams',
          serviceUrl,
          '',
          {
            isGroup: false,
            bot,
            members: [{ id: alert.recipientAadObjectId, name: '' }],
            tenantId: alert.tenantId,
            channelData: { tenant: { id: alert.tenantId } },
            activity: undefined as never,
            topicName: '',
          },
          logic,
        ),
      async (context) => {
        const delivered = await deliver(context);
        // Remember the new chat: later alerts and card updates go straight to it. Best effort:
        // the card is already delivered, and a failure here must not make the worker send again.
        await this.references
          .save({
            tenantId: alert.tenantId,
            schoolId: alert.schoolId,
            aadObjectId: alert.recipientAadObjectId,
            reference: JSON.parse(
              JSON.stringify(TurnContext.getConversationReference(context.activity)),
            ) as Record<string, unknown>,
            updatedAt: new Date(),
          })
          .catch(() =>
            this.logger.warn(
              { event: 'alerts.reference_not_saved', alertId: alert.alertId },
              'reference not saved',
            ),
          );
        return delivered;
      },
    );
  }

  /**
   * Redraws a sent alert card for its recipient (someone acknowledged): the copy given, or the
   * one the outbox recorded. Best effort: a copy not redrawn still refreshes itself when shown.
   */
  async refresh(alert: Alert, copy?: AlertCopy): Promise<void> {
    const target = copy ?? recordedCopyOf(alert);
    if (!target) return;
    const saved = await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    if (!saved) return;
    const activity = {
      ...(await this.cardActivity(alert, target.sendId)),
      id: target.activityId,
    };
    // A copy may sit in an older chat than the saved one (a chat opened again): update it there.
    const reference = {
      ...(saved.reference as Partial<ConversationReference>),
      conversation: {
        ...(saved.reference.conversation as ConversationReference['conversation']),
        id: target.conversationId,
      },
    };
    try {
      await this.capture(
        (logic) => this.adapter.continueConversationAsync(this.appId, reference, logic),
        (context) => context.updateActivity(activity),
      );
    } catch (error) {
      this.logger.warn(
        {
          event: 'alerts.refresh_failed',
          alertId: alert.alertId,
          status: (error as { statusCode?: number }).statusCode,
        },
        'card refresh failed',
      );
    }
  }

  private async cardActivity(alert: Alert, sendId?: string): Promise<Partial<Activity>> {
    const acknowledgements = await this.acknowledgementsOf(alert);
    return MessageFactory.attachment(
      CardFactory.adaptiveCard(renderAlertCard(alert, acknowledgements, this.teamsAppId, sendId)),
    );
  }

  private acknowledgementsOf(alert: Alert): Promise<Acknowledgement[]> {
    return this.acknowledgements.acknowledgementsOf(alert, alert.incidentId);
  }

  /** Where to open a 1:1 chat from: the newest saved reference in the tenant. */
  private async tenantEndpoint(
    tenantId: string,
  ): Promise<{ serviceUrl: string; bot: { id: string; name: string } }> {
    const any = await this.references.newestInTenant(tenantId);
    const serviceUrl = any?.reference.serviceUrl;
    const bot = any?.reference.bot as { id: string; name: string } | undefined;
    if (typeof serviceUrl !== 'string' || !bot) {
      // Nobody in the tenant has the app yet: there is nowhere to open a chat from.
      throw Object.assign(
        new AppError('ALERT.UNREACHABLE', 'no conversation reference in tenant'),
        {
          statusCode: 403,
          code: 'AppNotInstalled',
        },
      );
    }
    return { serviceUrl, bot };
  }

  /**
   * Runs `work` in a proactive turn and hands its failure back to the caller. The adapter would
   * otherwise pass it to onTurnError, which swallows it (and would post "Sorry" into the alert
   * chat): the worker must see the status code to retry or give up.
   */
  private async capture<T>(
    run: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await run(async (context) => {
      withoutConnectorRetries(context, this.adapter, this.sendDeadlineMs);
      try {
        outcome = { ok: true, value: await work(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) {
      throw Object.assign(new AppError('ALERT.UNREACHABLE', 'proactive turn did not run'), {
        statusCode: 502,
      });
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }
}

/** The copy the outbox recorded as the send that counts, if any. */
function recordedCopyOf(alert: Alert): AlertCopy | undefined {
  if (!alert.activityId || !alert.conversationId) return undefined;
  return {
    ...(alert.sendId ? { sendId: alert.sendId } : {}),
    activityId: alert.activityId,
    conversationId: alert.conversationId,
  };
}
