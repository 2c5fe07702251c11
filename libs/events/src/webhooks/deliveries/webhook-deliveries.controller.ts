import { Controller, Get, Post, Query, Res, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, type Page, RequireScopes, UuidParam } from '@revgate/platform';
import type { WebhookScopes } from '../webhooks.options';
import {
  ListWebhookDeliveriesQuery,
  WebhookDeliveryPage,
  WebhookDeliveryResponse,
} from './dto/webhook-delivery.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** The deliveries routes of an app, guarded by its own webhook scopes. */
export function createWebhookDeliveriesController(scopes: WebhookScopes): Type {
  @ApiTags('Webhooks')
  @Controller('webhook-deliveries')
  class WebhookDeliveriesController {
    constructor(private readonly deliveries: WebhookDeliveriesService) {}

    /**
     * Lists deliveries with their attempts, last answer, last error and next attempt, oldest update
     * first. Filters: subscriptionId, status (pending, delivered, dead), eventType, eventId.
     */
    @Get()
    @RequireScopes(scopes.read)
    @ApiOkResponse({ type: WebhookDeliveryPage })
    @ApiProblems(400, 403)
    list(
      @Caller() caller: Principal,
      @Query() query: ListWebhookDeliveriesQuery,
    ): Promise<Page<WebhookDeliveryResponse>> {
      return this.deliveries.list(caller, query);
    }

    /** Reads one delivery. */
    @Get(':id')
    @RequireScopes(scopes.read)
    @ApiOkResponse({ type: WebhookDeliveryResponse })
    @ApiProblems(400, 403, 404)
    get(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
    ): Promise<WebhookDeliveryResponse> {
      return this.deliveries.get(caller, id);
    }

    /**
     * Sends the delivery's event to its subscription again: a new delivery, due now (the one
     * replayed is left as it was). Its subscription must exist and be enabled (409).
     */
    @Post(':id/replay')
    @RequireScopes(scopes.manage)
    @ApiCreatedResponse({ type: WebhookDeliveryResponse })
    @ApiProblems(400, 403, 404, 409)
    async replay(
      @Caller() caller: Principal,
      @UuidParam('id') id: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<WebhookDeliveryResponse> {
      const replay = await this.deliveries.replay(caller, id);
      void reply.header('location', `webhook-deliveries/${replay.id}`);
      return replay;
    }
  }
  return WebhookDeliveriesController;
}
