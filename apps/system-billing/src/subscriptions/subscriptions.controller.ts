import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  SubscriptionPage,
  SubscriptionResponse,
} from './dto/subscription.dto';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('Subscriptions')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /**
   * Starts a subscription: items (a recurring price in the customer's currency and, for licensed
   * prices, a quantity), monthly or annual periods from an anchor day, a start and an optional end.
   * Emits billing.subscription.activated.v1.
   */
  @Post()
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiProblems(400, 403, 409, 422)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateSubscriptionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriptionResponse> {
    const created = await this.subscriptions.create(caller, body);
    void reply
      .header('etag', etagFor(created.version))
      .header('location', `subscriptions/${created.id}`);
    return created;
  }

  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: SubscriptionPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListSubscriptionsQuery,
  ): Promise<Page<SubscriptionResponse>> {
    return this.subscriptions.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriptionResponse> {
    const found = await this.subscriptions.get(caller, id);
    void reply.header('etag', etagFor(found.version));
    return found;
  }
}
