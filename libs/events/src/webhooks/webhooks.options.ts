import { EventTypes } from '@revgate/canonical';

export interface WebhooksOptions {
  /**
   * The app's capability name, as in its scopes (`billing`): webhook routes need
   * `<domain>:webhooks:read` or `<domain>:webhooks:manage`.
   */
  domain: string;
  /** The event types the app emits; by default the canonical types that start with `<domain>.`. */
  eventTypes?: readonly string[];
}

export interface WebhookScopes {
  read: string;
  manage: string;
}

export interface ResolvedWebhooksOptions {
  domain: string;
  eventTypes: readonly string[];
  scopes: WebhookScopes;
}

export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

export function webhookScopes(domain: string): WebhookScopes {
  return { read: `${domain}:webhooks:read`, manage: `${domain}:webhooks:manage` };
}

/** The scope lines of an app's docs (AppSpec.scopes). */
export function webhookScopeDocs(domain: string): Record<string, string> {
  const scopes = webhookScopes(domain);
  return {
    [scopes.read]: 'Read webhook subscriptions and deliveries',
    [scopes.manage]: 'Create, change, delete and rotate webhook subscriptions; replay deliveries',
  };
}

export function resolveWebhooksOptions(options: WebhooksOptions): ResolvedWebhooksOptions {
  const eventTypes =
    options.eventTypes ??
    Object.values(EventTypes).filter((t: string) => t.startsWith(`${options.domain}.`));
  if (eventTypes.length === 0) {
    throw new Error(`WebhooksModule: no event types for ${options.domain}; pass eventTypes`);
  }
  return { domain: options.domain, eventTypes, scopes: webhookScopes(options.domain) };
}
