import {
  CardFactory,
  MessageFactory,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Acknowledgement, Alert, AlertChannel, Delivered } from '../../alerts';
import type { SavedConversationReference } from '../../conversations';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { SchoolScope } from '../../shared/school-scope';
import { renderAlertCard } from './alert-cards';

interface ReferenceStore {
  find(tenantId: string, aadObjectId: string): Promise<SavedConversationReference | undefined>;
  newestInTenant(tenantId: string): Promise<SavedConversationReference | undefined>;
}

interface AcknowledgementReader {
  acknowledgementsOf(scope: SchoolScope, incidentId: string): Promise<Acknowledgement[]>;
}

/**
 * Sends alert cards proactively through the real CloudAdapter: to the saved 1:1 conversation, or
 * by opening one by Entra object id when there is none (the app must be installed for the person;
 * otherwise Teams answers 403 and the worker marks the alert undeliverable). Errors are left as
 * botbuilder throws them (status code, Retry-After) for the worker to classify.
 */
export class TeamsAlertChannel implements AlertChannel {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly references: ReferenceStore,
    private readonly acknowledgements: AcknowledgementReader,
    private readonly logger: Logger,
  ) {}

  async chatIdFor(alert: Alert): Promise<string | undefined> {
    const saved = await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    return (saved?.reference.conversation as { id?: string } | undefined)?.id;
  }

  async send(alert: Alert, options: { reopen: boolean }): Promise<Delivered> {
    const card = renderAlertCard(
      alert,
      await this.acknowledgements.acknowledgementsOf(alert, alert.incidentId),
    );
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    // The notification preview shows this summary: reference only, never a name.
    activity.summary = `Safeguarding: ${alert.reference}`;
    const saved = options.reopen
      ? undefined
      : await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    if (saved) {
      return this.within(saved.reference as Partial<ConversationReference>, async (context) => {
        const response = await context.sendActivity(activity);
        return { activityId: response?.id ?? '', conversationId: context.activity.conversation.id };
      });
    }
    return this.openChatAndSend(alert, activity);
  }

  /** Redraws a sent alert card for its recipient (someone acknowledged). Best effort. */
  async refresh(alert: Alert): Promise<void> {
    if (!alert.activityId) return;
    const saved = await this.references.find(alert.tenantId, alert.recipientAadObjectId);
    if (!saved) return;
    const card = renderAlertCard(
      alert,
      await this.acknowledgements.acknowledgementsOf(alert, alert.incidentId),
    );
    try {
      await this.within(saved.reference as Partial<ConversationReference>, async (context) => {
        await context.updateActivity({
          ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
          id: alert.activityId,
        });
      });
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

  private async openChatAndSend(
    alert: Alert,
    activity: ReturnType<typeof MessageFactory.attachment>,
  ): Promise<Delivered> {
    const any = await this.references.newestInTenant(alert.tenantId);
    const serviceUrl = any?.reference.serviceUrl;
    const bot = any?.reference.bot as { id: string; name: string } | undefined;
    if (typeof serviceUrl !== 'string' || !bot) {
      // Nobody in the tenant has the app yet: nowhere to open a chat from.
      throw Object.assign(
        new AppError('ALERT.UNREACHABLE', 'no conversation reference in tenant'),
        {
          statusCode: 403,
          code: 'AppNotInstalled',
        },
      );
    }
    let delivered: Delivered | undefined;
    await this.adapter.createConversationAsync(
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
      async (context: TurnContext) => {
        const response = await context.sendActivity(activity);
        delivered = {
          activityId: response?.id ?? '',
          conversationId: context.activity.conversation.id,
        };
      },
    );
    if (!delivered)
      throw Object.assign(new AppError('ALERT.UNREACHABLE', 'no conversation opened'), {
        statusCode: 502,
      });
    return delivered;
  }

  private async within<T>(
    reference: Partial<ConversationReference>,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    let result: T | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      result = await work(context);
    });
    return result as T;
  }
}
