import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { Principal } from '@revgate/auth';
import { applyKeyset, toSlice, TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  expectedVersion,
  keysetPage,
  keysetWindow,
  type Page,
  staleWrite,
  validationProblem,
} from '@revgate/platform';
import { EventsConfig } from '../../events.config';
import { EventsErrorCode } from '../../events-error-code';
import { OutboxEventEntity } from '../../outbox-event.entity';
import { splitPatterns } from '../event-type-pattern';
import { SecretVault, generateWebhookSecret } from '../secret-vault';
import { SsrfGuard } from '../ssrf-guard';
import { WebhookAudit } from '../webhook.audit';
import type { WebhookAuditAction } from '../webhook-audit.entity';
import { EVENTS_CONFIG } from '../webhook.dispatcher';
import { WebhookDeliveryEntity } from '../webhook-delivery.entity';
import { assertKnownEventTypes, assertUnlimited, checkedUrl } from '../webhook.guards';
import { WebhookSubscriptionEntity } from '../webhook-subscription.entity';
import { toSubscriptionResponse } from '../webhooks.mappers';
import { WEBHOOKS_OPTIONS, type ResolvedWebhooksOptions } from '../webhooks.options';
import {
  CreateWebhookSubscriptionRequest,
  ListWebhookSubscriptionsQuery,
  ReplayWebhookEventsRequest,
  RotateWebhookSecretRequest,
  UpdateWebhookSubscriptionRequest,
  WebhookReplayResponse,
  WebhookSubscriptionResponse,
  WebhookSubscriptionWithSecretResponse,
} from './dto/webhook-subscription.dto';

export const subscriptionNotFound = (id: string): ApiError =>
  new ApiError(
    404,
    EventsErrorCode.WEBHOOK_SUBSCRIPTION_NOT_FOUND,
    `Webhook subscription ${id} does not exist.`,
  );

const HOUR_MS = 3_600_000;

@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly tx: TransactionHost,
    @Inject(EVENTS_CONFIG) private readonly config: EventsConfig,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: ResolvedWebhooksOptions,
    private readonly guard: SsrfGuard,
    private readonly vault: SecretVault,
    private readonly audit: WebhookAudit,
  ) {}

  /** Saves a subscription and answers its new signing secret (the only time it is shown). */
  async create(
    caller: Principal,
    request: CreateWebhookSubscriptionRequest,
  ): Promise<WebhookSubscriptionWithSecretResponse> {
    assertUnlimited(caller);
    assertKnownEventTypes(request.eventTypes, this.options.eventTypes);
    const url = await checkedUrl(this.guard, request.url);
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const now = new Date();
    const subscription: WebhookSubscriptionEntity = {
      id,
      url,
      eventTypes: request.eventTypes,
      description: request.description ?? null,
      enabled: request.enabled ?? true,
      secretSealed: this.vault.seal(secret, id),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      secretRotatedAt: null,
      createdBy: caller.subject,
      updatedBy: caller.subject,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      version: 1,
    };
    await this.tx.run(async () => {
      await this.tx.manager.insert(WebhookSubscriptionEntity, subscription);
      await this.audit.record(
        'subscription.created',
        caller.subject,
        { subscriptionId: id },
        {
          url,
          eventTypes: subscription.eventTypes,
          enabled: subscription.enabled,
        },
      );
    });
    return { ...toSubscriptionResponse(subscription, now), secret };
  }

  async list(
    caller: Principal,
    query: ListWebhookSubscriptionsQuery,
  ): Promise<Page<WebhookSubscriptionResponse>> {
    assertUnlimited(caller);
    const window = keysetWindow(query);
    const qb = this.tx.manager
      .createQueryBuilder(WebhookSubscriptionEntity, 's')
      .where('s.deletedAt IS NULL');
    if (query.enabled !== undefined)
      qb.andWhere('s.enabled = :enabled', { enabled: query.enabled });
    const rows = await applyKeyset(qb, window).getMany();
    const now = new Date();
    return keysetPage(
      toSlice(rows, window.limit, (r) => r),
      (r) => toSubscriptionResponse(r, now),
    );
  }

  async get(caller: Principal, id: string): Promise<WebhookSubscriptionResponse> {
    assertUnlimited(caller);
    const found = await this.tx.manager.findOneBy(WebhookSubscriptionEntity, {
      id,
      deletedAt: IsNull(),
    });
    if (!found) throw subscriptionNotFound(id);
    return toSubscriptionResponse(found);
  }

  /** Changes the URL, the types, the description or whether it is enabled. */
  async update(
    caller: Principal,
    id: string,
    request: UpdateWebhookSubscriptionRequest,
    ifMatch?: string,
  ): Promise<WebhookSubscriptionResponse> {
    assertUnlimited(caller);
    const expected = expectedVersion(ifMatch);
    if (request.eventTypes) assertKnownEventTypes(request.eventTypes, this.options.eventTypes);
    const url = request.url === undefined ? undefined : await checkedUrl(this.guard, request.url);
    return this.tx.run(async () => {
      const subscription = await this.lockLive(id, expected);
      const changes: Record<string, unknown> = {};
      if (url !== undefined) changes.url = url;
      if (request.eventTypes !== undefined) changes.eventTypes = request.eventTypes;
      if (request.description !== undefined) changes.description = request.description;
      if (request.enabled !== undefined) changes.enabled = request.enabled;
      await this.change(subscription, caller, changes, 'subscription.updated', changes);
      return toSubscriptionResponse(subscription);
    });
  }

  /**
   * Deletes a subscription: it is no longer listed or sent to, its pending deliveries are dead, and
   * its secrets are erased. Its deliveries stay, as history.
   */
  async delete(caller: Principal, id: string, ifMatch?: string): Promise<void> {
    assertUnlimited(caller);
    const expected = expectedVersion(ifMatch);
    await this.tx.run(async () => {
      const subscription = await this.lockLive(id, expected);
      const now = new Date();
      const dropped = await this.tx.manager.update(
        WebhookDeliveryEntity,
        { subscriptionId: id, status: 'pending' },
        { status: 'dead', lastError: 'the subscription was deleted', updatedAt: now },
      );
      await this.change(
        subscription,
        caller,
        {
          deletedAt: now,
          secretSealed: null,
          previousSecretSealed: null,
          previousSecretExpiresAt: null,
        },
        'subscription.deleted',
        { pendingDeliveriesDropped: dropped.affected ?? 0 },
        now,
      );
    });
  }

  /**
   * A new secret signs from now on; the one it replaces keeps signing alongside it (a second v1)
   * for the grace period, so receivers can switch without missing a delivery.
   */
  async rotateSecret(
    caller: Principal,
    id: string,
    request: RotateWebhookSecretRequest,
  ): Promise<WebhookSubscriptionWithSecretResponse> {
    assertUnlimited(caller);
    const hours = request.previousSecretExpiresInHours ?? this.config.WEBHOOK_SECRET_GRACE_HOURS;
    const secret = generateWebhookSecret();
    return this.tx.run(async () => {
      const subscription = await this.lockLive(id);
      const now = new Date();
      const graceEnds = hours > 0 ? new Date(now.getTime() + hours * HOUR_MS) : null;
      await this.change(
        subscription,
        caller,
        {
          secretSealed: this.vault.seal(secret, id),
          previousSecretSealed: graceEnds ? subscription.secretSealed : null,
          previousSecretExpiresAt: graceEnds,
          secretRotatedAt: now,
        },
        'subscription.secret_rotated',
        { previousSecretExpiresAt: graceEnds?.toISOString() ?? null },
        now,
      );
      return { ...toSubscriptionResponse(subscription, now), secret };
    });
  }

  /**
   * New deliveries of every event in [from, to) the subscription wants now, whether or not it had
   * them before (older ones included): history is never changed, only added to.
   */
  async replay(
    caller: Principal,
    id: string,
    request: ReplayWebhookEventsRequest,
  ): Promise<WebhookReplayResponse> {
    assertUnlimited(caller);
    const from = new Date(request.from);
    const to = new Date(request.to);
    const invalid = [
      ...(Number.isNaN(from.getTime())
        ? [{ pointer: '/from', detail: 'from is not a valid date-time' }]
        : []),
      ...(Number.isNaN(to.getTime())
        ? [{ pointer: '/to', detail: 'to is not a valid date-time' }]
        : []),
    ];
    if (invalid.length > 0) throw validationProblem(invalid);
    if (from >= to) {
      throw new ApiError(
        422,
        EventsErrorCode.WEBHOOK_REPLAY_RANGE_INVALID,
        `from (${from.toISOString()}) must be before to (${to.toISOString()}).`,
      );
    }
    return this.tx.run(async () => {
      const subscription = await this.lockLive(id);
      if (!subscription.enabled) {
        throw new ApiError(
          409,
          EventsErrorCode.WEBHOOK_SUBSCRIPTION_DISABLED,
          `Webhook subscription ${id} is disabled: enable it before replaying to it.`,
        );
      }
      const outbox = this.tx.dataSource.getMetadata(OutboxEventEntity).tablePath;
      const deliveries = this.tx.dataSource.getMetadata(WebhookDeliveryEntity).tablePath;
      const { all, exact, prefixes } = splitPatterns(subscription.eventTypes);
      const matching = `from ${outbox} o
        where o.occurred_at >= $1 and o.occurred_at < $2
          and ($3::boolean or o.type = any($4::text[])
               or exists (select 1 from unnest($5::text[]) p where starts_with(o.type, p)))`;
      const now = new Date();
      const max = this.config.WEBHOOK_REPLAY_MAX_EVENTS;
      // One more than allowed is inserted to know the range is too large; the refusal rolls it back.
      const [inserted] = await this.tx.manager.query<{ n: number }[]>(
        `with made as (
           insert into ${deliveries} (id, subscription_id, event_id, event_type, status, origin,
                  attempts, next_attempt_at, requested_by, created_at, updated_at)
           select gen_random_uuid(), $6, o.id, o.type, 'pending', 'replay', 0, $7, $8, $7, $7
           ${matching}
           order by o.occurred_at, o.id
           limit $9
           returning 1
         )
         select count(*)::int as n from made`,
        [from, to, all, exact, prefixes, id, now, caller.subject, max + 1],
      );
      const n = inserted.n;
      if (n > max) {
        throw new ApiError(
          422,
          EventsErrorCode.WEBHOOK_REPLAY_TOO_LARGE,
          `The range holds more than ${max} events for this subscription, the most one replay sends (WEBHOOK_REPLAY_MAX_EVENTS). Replay shorter ranges.`,
        );
      }
      await this.audit.record(
        'subscription.replayed',
        caller.subject,
        { subscriptionId: id },
        { from: from.toISOString(), to: to.toISOString(), deliveries: n },
      );
      return { subscriptionId: id, from: from.toISOString(), to: to.toISOString(), deliveries: n };
    });
  }

  /** Applies a change to a locked subscription, a new version, and its audit entry. */
  private async change(
    subscription: WebhookSubscriptionEntity,
    caller: Principal,
    values: Partial<WebhookSubscriptionEntity>,
    action: WebhookAuditAction,
    detail: object,
    now: Date = new Date(),
  ): Promise<void> {
    Object.assign(subscription, values, {
      updatedAt: now,
      updatedBy: caller.subject,
      version: subscription.version + 1,
    });
    await this.tx.manager.save(WebhookSubscriptionEntity, subscription);
    await this.audit.record(action, caller.subject, { subscriptionId: subscription.id }, detail);
  }

  private async lockLive(id: string, expected?: number): Promise<WebhookSubscriptionEntity> {
    const found = await this.tx.manager.findOne(WebhookSubscriptionEntity, {
      where: { id, deletedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    if (!found) throw subscriptionNotFound(id);
    if (expected !== undefined && expected !== found.version) {
      throw staleWrite('webhook subscription', found.version);
    }
    return found;
  }
}
