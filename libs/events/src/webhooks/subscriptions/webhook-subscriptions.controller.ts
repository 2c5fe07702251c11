import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { OmitFromReplay } from '@revgate/idempotency';
import { ApiProblems, etagFor, type Page, RequireScopes, UuidParam } from '@revgate/platform';
import type { WebhookScopes } from '../webhooks.options';
import {
  CreateWebhookSubscriptionRequest,
  ListWebhookSubscriptionsQuery,
  ReplayWebhookEventsRequest,
  RotateWebhookSecretRequest,
  UpdateWebhookSubscriptionRequest,
  WebhookReplayResponse,
  WebhookSubscriptionPage,
  WebhookSubscriptionResponse,
  WebhookSubscriptionWithSecretResponse,
} from './dto/webhook-subscription.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

const ETAG = {
  ETag: { description: 'Send as If-Match to update or delete', schema: { type: 'string' } },
};
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag from your last read; a stale one gets 412',
};

/** The subscriptions routes of an app, guarded by its own webhook scopes. */
export function createWebhookSubscriptionsController(scopes: WebhookScopes): Type {
  @ApiTags('Webhooks')
  @Controller('webhook-subscriptions')
  class WebhookSubscriptionsController {
    constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

    /**
     * Subscribes a URL to events of this API. The answer carries the signing secret, shown this
     * once. The URL must be https and resolve only to public addresses (422
     * WEBHOOK_URL_FORBIDDEN, WEBHOOK_URL_UNRESOLVABLE); every type must match an event this API
     * emits (422 WEBHOOK_EVENT_TYPE_UNKNOWN).
     */
    @Post()
    @RequireScopes(scopes.manage)
    @OmitFromReplay('secret')
    @ApiCreatedResponse({ type: WebhookSubscriptionWithSecretResponse, headers: ETAG })
    @ApiProblems(400, 403, 422)
    async create(
      @Caller() caller: Principal,
      @Body() body: CreateWebhookSubscriptionRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<WebhookSubscriptionWithSecretResponse> {
      const created = await this.subscriptions.create(caller, body);
      void reply
        .header('etag', etagFor(created.version))
        .header('location', `webhook-subscriptions/${created.id}`);
      return created;
    }

    /** Lists the subscriptions, oldest update first. */
    @Get()
    @RequireScopes(scopes.read)
    @ApiOkResponse({ type: WebhookSubscriptionPage })
    @ApiProblems(400, 403)
    list(
      @Caller() caller: Principal,
      @Query() query: ListWebhookSubscriptionsQuery,
    ): Promise<Page<WebhookSubscriptionResponse>> {
      return this.subscriptions.list(caller, query);
    }

    /** Reads one subscription (never its secret), with its ETag. */
    @Get(':id')
    @RequireScopes(scopes.read)
    @ApiOkResponse({ type: WebhookSubscriptionResponse, headers: ETAG })
    @ApiProblems(400, 403, 404)
    async get(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<WebhookSubscriptionResponse> {
      const found = await this.subscriptions.get(caller, id);
      void reply.header('etag', etagFor(found.version));
      return found;
    }

    /** Changes the URL (checked as at creation), the event types, the description or `enabled`. */
    @Patch(':id')
    @RequireScopes(scopes.manage)
    @ApiHeader(IF_MATCH)
    @ApiOkResponse({ type: WebhookSubscriptionResponse, headers: ETAG })
    @ApiProblems(400, 403, 404, 412, 422)
    async update(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Body() body: UpdateWebhookSubscriptionRequest,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<WebhookSubscriptionResponse> {
      const updated = await this.subscriptions.update(caller, id, body, ifMatch);
      void reply.header('etag', etagFor(updated.version));
      return updated;
    }

    /**
     * Deletes the subscription: nothing more is sent to it, its pending deliveries become dead, its
     * secrets are erased; its deliveries stay listed as history.
     */
    @Delete(':id')
    @HttpCode(204)
    @RequireScopes(scopes.manage)
    @ApiHeader(IF_MATCH)
    @ApiNoContentResponse({ description: 'Deleted' })
    @ApiProblems(400, 403, 404, 412)
    async delete(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Headers('if-match') ifMatch: string | undefined,
    ): Promise<void> {
      await this.subscriptions.delete(caller, id, ifMatch);
    }

    /**
     * Replaces the signing secret. The new one (in the answer, shown this once) signs from now on;
     * the old one keeps signing alongside it — a second `v1=` in Revgate-Signature — until
     * `previousSecretExpiresAt` (24 h by default), so receivers can switch without a gap.
     */
    @Post(':id/rotate-secret')
    @HttpCode(200)
    @RequireScopes(scopes.manage)
    @OmitFromReplay('secret')
    @ApiBody({ type: RotateWebhookSecretRequest, required: false })
    @ApiOkResponse({ type: WebhookSubscriptionWithSecretResponse, headers: ETAG })
    @ApiProblems(400, 403, 404)
    async rotateSecret(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Body() body: RotateWebhookSecretRequest,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<WebhookSubscriptionWithSecretResponse> {
      const rotated = await this.subscriptions.rotateSecret(caller, id, body);
      void reply.header('etag', etagFor(rotated.version));
      return rotated;
    }

    /**
     * Sends again every event that occurred in [from, to) and matches the subscription's types, as
     * new deliveries (the earlier ones are left as they were). At most WEBHOOK_REPLAY_MAX_EVENTS
     * events (422 WEBHOOK_REPLAY_TOO_LARGE); a disabled subscription is refused (409).
     */
    @Post(':id/replay')
    @HttpCode(202)
    @RequireScopes(scopes.manage)
    @ApiAcceptedResponse({ type: WebhookReplayResponse })
    @ApiProblems(400, 403, 404, 409, 422)
    replay(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Body() body: ReplayWebhookEventsRequest,
    ): Promise<WebhookReplayResponse> {
      return this.subscriptions.replay(caller, id, body);
    }
  }
  return WebhookSubscriptionsController;
}
