import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { CreateOrderRequest, ListOrdersQuery, OrderPage, OrderResponse } from './dto/order.dto';
import { OrdersService } from './orders.service';

@ApiTags('Orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /**
   * Starts the order of a closed-won opportunity (the CRM's closed-won event starts it too) and
   * answers at once, 202, with the order, its id and its correlation id — the key of its trace in
   * every system. One deal makes one order: asking again answers 200 with the order it has. The
   * order runs as a durable workflow: validate the account, ensure the ERP and billing customers,
   * map the products, create the subscription, invoice (tax quoted then committed), wait for the
   * invoice to be finalized, post the receivable to the ERP, write the billing status back to the
   * CRM, emit ContractActivated.
   */
  @Post()
  @HttpCode(202)
  @RequireScopes('q2c:write')
  @ApiAcceptedResponse({ type: OrderResponse, description: 'Started' })
  @ApiOkResponse({ type: OrderResponse, description: 'The order the opportunity already has' })
  @ApiProblems(400, 403, 409, 422, 503)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const { order, created } = await this.orders.create(caller, body.opportunityId);
    void reply
      .status(created ? 202 : 200)
      .header('location', `orders/${order.id}`)
      .header('etag', etagFor(order.version));
    return order;
  }

  /** Orders, oldest change first; filter by status, legal entity, opportunity, account, exception. */
  @Get()
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: OrderPage })
  @ApiProblems(400, 403)
  list(@Caller() caller: Principal, @Query() query: ListOrdersQuery): Promise<Page<OrderResponse>> {
    return this.orders.list(caller, query);
  }

  /**
   * The per-deal trace: every step with its timestamps and attempts, the ids made in each system,
   * why the order waits (in business terms, with what to fix) and what operators did.
   */
  @Get(':id')
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: OrderResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const order = await this.orders.get(caller, id);
    void reply.header('etag', etagFor(order.version));
    return order;
  }
}
