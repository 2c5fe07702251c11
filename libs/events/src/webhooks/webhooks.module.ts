import { DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, BaseConfig } from '@revgate/platform';
import { EventsConfig } from '../events.config';
import { createWebhookDeliveriesController } from './deliveries/webhook-deliveries.controller';
import { WebhookDeliveriesService } from './deliveries/webhook-deliveries.service';
import { OutboxRelay } from './outbox.relay';
import { loadOrCreateSecretsKey, parseSecretsKeys, SecretVault } from './secret-vault';
import { SsrfGuard } from './ssrf-guard';
import { createWebhookSubscriptionsController } from './subscriptions/webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './subscriptions/webhook-subscriptions.service';
import { WebhookAudit } from './webhook.audit';
import { EVENTS_CONFIG, WebhookDispatcher } from './webhook.dispatcher';
import { WebhookMetrics } from './webhook.metrics';
import { AxiosWebhookSender, WebhookSender } from './webhook.sender';
import { resolveWebhooksOptions, WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

function eventsConfig(config: BaseConfig): EventsConfig {
  if (!(config instanceof EventsConfig)) {
    throw new Error(
      'WebhooksModule needs the app config to extend EventsConfig (from @revgate/events) instead of BaseConfig',
    );
  }
  return config;
}

export interface WebhooksModuleOptions extends WebhooksOptions {
  /** Another way to send (libs/resilience's client); AxiosWebhookSender by default. */
  sender?: Type<WebhookSender>;
}

/**
 * Webhooks for a producing app: the subscription and delivery routes under the app's base path
 * (`/<base>/webhook-subscriptions`, `/<base>/webhook-deliveries`, scopes `<domain>:webhooks:read`
 * and `<domain>:webhooks:manage`) and the outbox relay that delivers its events. The app's config
 * extends EventsConfig, and its persistence lists WEBHOOK_ENTITIES.
 */
@Module({})
export class WebhooksModule {
  static forApp(options: WebhooksModuleOptions): DynamicModule {
    const resolved = resolveWebhooksOptions(options);
    const providers: Provider[] = [
      { provide: WEBHOOKS_OPTIONS, useValue: resolved },
      { provide: EVENTS_CONFIG, inject: [APP_CONFIG], useFactory: eventsConfig },
      {
        provide: SecretVault,
        inject: [EVENTS_CONFIG, PinoLogger],
        useFactory: (config: EventsConfig, logger: PinoLogger) => {
          if (config.WEBHOOK_SECRETS_KEY !== undefined) {
            return new SecretVault(parseSecretsKeys(config.WEBHOOK_SECRETS_KEY));
          }
          logger.setContext(WebhooksModule.name);
          logger.info(
            'WEBHOOK_SECRETS_KEY is not set: webhook secrets are sealed with the key in REVGATE_DATA_DIR/keys (set it when several machines relay)',
          );
          return new SecretVault([loadOrCreateSecretsKey(config.REVGATE_DATA_DIR)]);
        },
      },
      {
        provide: SsrfGuard,
        inject: [EVENTS_CONFIG],
        useFactory: (config: EventsConfig) =>
          new SsrfGuard({
            allowHttp: config.WEBHOOK_ALLOW_HTTP,
            allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
          }),
      },
      { provide: WebhookSender, useClass: options.sender ?? AxiosWebhookSender },
      WebhookMetrics,
      WebhookAudit,
      WebhookDispatcher,
      OutboxRelay,
      WebhookSubscriptionsService,
      WebhookDeliveriesService,
    ];
    return {
      module: WebhooksModule,
      controllers: [
        createWebhookSubscriptionsController(resolved.scopes),
        createWebhookDeliveriesController(resolved.scopes),
      ],
      providers,
      exports: [OutboxRelay, SsrfGuard, WebhookSender, SecretVault],
    };
  }
}
