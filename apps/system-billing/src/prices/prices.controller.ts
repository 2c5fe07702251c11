import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  UpdateBillingPriceRequest,
} from './dto/price.dto';
import { PricesService } from './prices.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: "The price's ETag from your last read; a stale one gets 412",
};

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
   * Changes a price's external id, nickname or active flag. Its terms (product, currency, type,
   * interval, amounts, tiers) are fixed: naming one answers 422 BILLING_FIELD_IMMUTABLE; create a
   * new price instead. Send If-Match with the ETag you read; a stale one gets 412.
   */
  @Patch(':id')
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: BillingPriceResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateBillingPriceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingPriceResponse> {
    const price = await this.prices.update(caller, id, body, ifMatch);
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
