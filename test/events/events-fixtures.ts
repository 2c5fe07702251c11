import { OutboxRelay } from '@revgate/events';
import type { ProbeConfig } from './events-probe.app';
import { expectStatus, type HttpResponse, type Page } from '../support/api-fixtures';
import { http, type TestApp } from '../support/test-app';

export * from '../support/api-fixtures';

export const EVENTS_TABLES = [
  'webhook_subscriptions',
  'webhook_deliveries',
  'webhook_audit_log',
  'outbox_events',
  'inbox_events',
  'idempotency_keys',
] as const;

export interface SubscriptionBody {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  secret?: string;
  secretRotatedAt: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface DeliveryBody {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'dead';
  origin: 'relay' | 'replay';
  replayOf: string | null;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Quick calls on the events probe app. */
export class Probe {
  readonly manage: string;
  readonly read: string;
  readonly writer: string;

  constructor(readonly t: TestApp<ProbeConfig>) {
    this.manage = t.token(['probe:webhooks:read', 'probe:webhooks:manage']);
    this.read = t.token(['probe:webhooks:read']);
    this.writer = t.token(['probe:write']);
  }

  url(path: string): string {
    return `${this.t.url}/probe/v1/${path}`;
  }

  get relay(): OutboxRelay {
    return this.t.app.get(OutboxRelay);
  }

  async subscribe(body: Record<string, unknown>): Promise<SubscriptionBody> {
    const res = await http<SubscriptionBody>('POST', this.url('webhook-subscriptions'), {
      token: this.manage,
      body,
    });
    expectStatus(res, 201);
    return res.body;
  }

  async emit(
    type: string,
    options: { count?: number; subject?: string; key?: string } = {},
  ): Promise<string[]> {
    const res = await http<{ ids: string[] }>('POST', this.url('emit'), {
      token: this.writer,
      body: { type, ...options },
    });
    expectStatus(res, 201);
    return res.body.ids;
  }

  async deliveries(query: Record<string, string> = {}): Promise<DeliveryBody[]> {
    const res: HttpResponse<Page<DeliveryBody>> = await http<Page<DeliveryBody>>(
      'GET',
      `${this.url('webhook-deliveries')}?${new URLSearchParams({ limit: '200', ...query }).toString()}`,
      { token: this.read },
    );
    expectStatus(res, 200);
    return res.body.data;
  }
}
