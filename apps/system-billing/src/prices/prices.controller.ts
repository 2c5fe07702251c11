import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  BillingPricePage,
  BillingPriceResponse,
  CreateBillingPriceRequest,
  ListPricesQuery,
  PriceQuoteRequest,
  PriceQuoteResponse,
} from './dto/price.dto';
import { PricesService } from './prices.service';

@ApiTags('Catalog')
@Controller('prices')
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  /**
   * Adds a price to a product: flat, per unit, package, or tiered (graduated or volume), with an
   * optional included quantity. The pricing engine validates it (422 BILLING_PRICE_INVALID).
   */
  @Post()
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: BillingPriceResponse })
  @ApiProblems(400, 403, 409, 422)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateBillingPriceRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingPriceResponse> {
    const price = await this.prices.create(caller, body);
    void reply.header('etag', etagFor(price.version)).header('location', `prices/${price.id}`);
    return price;
  }

  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingPricePage })
  @ApiProblems(400, 403)
  list(@Query() query: ListPricesQuery): Promise<Page<BillingPriceResponse>> {
    return this.prices.list(query);
  }

  @Get(':id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingPriceResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingPriceResponse> {
    const price = await this.prices.get(id);
    void reply.header('etag', etagFor(price.version));
    return price;
  }

  /**
   * Prices a quantity for one period (the usage pricing endpoint): the amount rounded half-up to the
   * currency, the exact amount and the breakdown by tier or package. Nothing is recorded.
   */
  @Post(':id/quote')
  @HttpCode(200)
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: PriceQuoteResponse })
  @ApiProblems(400, 403, 404, 422)
  quote(@UuidParam('id') id: string, @Body() body: PriceQuoteRequest): Promise<PriceQuoteResponse> {
    return this.prices.quote(id, body);
  }
}
