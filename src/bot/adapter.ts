import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { AppConfig } from '../config';
import type { Logger } from '../shared/logger';

/**
 * The real CloudAdapter. With an app id, every inbound request must carry a valid Bot Framework
 * JWT (401 otherwise); with none (development only, enforced by config) validation is off.
 * `authOverrides` lets tests point key discovery at a local stand-in; production never sets it.
 */
export function createAdapter(
  config: AppConfig,
  logger: Logger,
  authOverrides: Partial<ConfigurationBotFrameworkAuthenticationOptions> = {},
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    // botbuilder refuses SingleTenant without an app id; development (no id) has no tenant to pin.
    MicrosoftAppType: config.bot.appId ? config.bot.appType : 'MultiTenant',
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    ...authOverrides,
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);

  adapter.onTurnError = async (context, error) => {
    const code = (error as { code?: unknown }).code;
    // Ids and codes only: error messages from deep layers may quote user input.
    logger.error(
      {
        event: 'bot.turn_error',
        code: typeof code === 'string' ? code : undefined,
        errorName: error.name,
        activityId: context.activity.id,
      },
      'turn failed',
    );
    await context
      .sendActivity('Sorry, something went wrong on our side. Please try again in a minute.')
      .catch(() => undefined);
  };
  return adapter;
}
