import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecretVault } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { APP_CONFIG } from '@revgate/platform';
import type { Q2cConfig } from '../q2c.config';
import { answered, SystemApis } from '../system-apis';
import { EventSourceEntity } from './event-source.entity';

export type EventSource = 'crm' | 'billing';

interface SubscriptionsApi {
  list(): Promise<{ id: string; url: string }[]>;
  create(body: { url: string; eventTypes: string[]; description: string }): Promise<{
    id: string;
    secret: string;
  }>;
  rotate(id: string): Promise<{ id: string; secret: string }>;
}

/** The events quote-to-cash listens to, per source. */
export const SUBSCRIBED_EVENTS: Record<EventSource, string[]> = {
  crm: ['crm.opportunity.closed_won.v1'],
  billing: ['billing.invoice.finalized.v1'],
};

/**
 * Quote-to-cash's own webhook subscriptions at the CRM and billing: made at start when
 * Q2C_PUBLIC_URL says where the systems reach it, the secret each shows once kept sealed. A
 * subscription that exists with a secret this app no longer holds is rotated to get a new one.
 */
@Injectable()
export class EventSources {
  private readonly logger = new Logger(EventSources.name);

  constructor(
    private readonly tx: TransactionHost,
    private readonly vault: SecretVault,
    private readonly apis: SystemApis,
    @Inject(APP_CONFIG) private readonly config: Q2cConfig,
  ) {}

  receiverUrl(source: EventSource): string | undefined {
    const base = this.config.Q2C_PUBLIC_URL?.replace(/\/+$/, '');
    return base ? `${base}/q2c/v1/events/${source}` : undefined;
  }

  /** The secrets a delivery from `source` may be signed with (none: the source is not set up). */
  async secrets(source: EventSource): Promise<string[]> {
    const row = await this.tx.manager.findOneBy(EventSourceEntity, { source });
    return row
      ? row.sealedSecrets.map((s) => this.vault.open(s, `q2c:event-source:${source}`))
      : [];
  }

  /**
   * Subscribes to every source; answers the sources that could not be reached now (logged: orders
   * still start from POST /orders and read their invoices themselves meanwhile).
   */
  async ensureAll(
    sources = Object.keys(SUBSCRIBED_EVENTS) as EventSource[],
  ): Promise<EventSource[]> {
    const failed: EventSource[] = [];
    for (const source of sources) {
      try {
        await this.ensure(source);
      } catch (e) {
        failed.push(source);
        this.logger.warn({ err: e, source }, `could not subscribe to ${source} events yet`);
      }
    }
    return failed;
  }

  async ensure(source: EventSource): Promise<void> {
    const url = this.receiverUrl(source);
    if (!url) return;
    const known = await this.tx.manager.findOneBy(EventSourceEntity, { source });
    const api = this.subscriptions(source);
    const existing = (await api.list()).find((s) => s.url === url);
    if (existing && known?.subscriptionId === existing.id) return;
    const { id, secret } = existing
      ? await api.rotate(existing.id)
      : await api.create({
          url,
          eventTypes: SUBSCRIBED_EVENTS[source],
          description: 'Revgate quote-to-cash',
        });
    await this.remember(source, id, url, [secret]);
    this.logger.log(`subscribed to ${SUBSCRIBED_EVENTS[source].join(', ')} at ${source} (${url})`);
  }

  /** The webhook-subscriptions routes of a source (the same in every producing app). */
  private subscriptions(source: EventSource): SubscriptionsApi {
    const rotateBody = { previousSecretExpiresInHours: 0 };
    if (source === 'crm')
      return {
        list: async () =>
          answered(
            'crm',
            await this.apis.crm.GET('/crm/v1/webhook-subscriptions', {
              params: { query: { limit: 200 } },
            }),
          ).data,
        create: async (body) =>
          answered('crm', await this.apis.crm.POST('/crm/v1/webhook-subscriptions', { body })),
        rotate: async (id) =>
          answered(
            'crm',
            await this.apis.crm.POST('/crm/v1/webhook-subscriptions/{id}/rotate-secret', {
              params: { path: { id } },
              body: rotateBody,
            }),
          ),
      };
    return {
      list: async () =>
        answered(
          'billing',
          await this.apis.billing.GET('/billing/v1/webhook-subscriptions', {
            params: { query: { limit: 200 } },
          }),
        ).data,
      create: async (body) =>
        answered(
          'billing',
          await this.apis.billing.POST('/billing/v1/webhook-subscriptions', { body }),
        ),
      rotate: async (id) =>
        answered(
          'billing',
          await this.apis.billing.POST('/billing/v1/webhook-subscriptions/{id}/rotate-secret', {
            params: { path: { id } },
            body: rotateBody,
          }),
        ),
    };
  }

  /** Keeps a subscription and its secrets (also what tests use to set a source up by hand). */
  async remember(source: EventSource, subscriptionId: string, url: string, secrets: string[]) {
    const row: EventSourceEntity = {
      source,
      subscriptionId,
      url,
      sealedSecrets: secrets.map((s) => this.vault.seal(s, `q2c:event-source:${source}`)),
      updatedAt: new Date(),
    };
    await this.tx.manager.upsert(EventSourceEntity, row, ['source']);
  }
}
