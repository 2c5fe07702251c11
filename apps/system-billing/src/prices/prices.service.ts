import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { priceRequestProblems } from '@revgate/canonical';
import { ApiError, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { assertCatalogWriter, assertNoProblems, withEngine } from '../billing.guards';
import { toPriceResponse, toQuoteResponse } from '../billing.mappers';
import { priceQuantity, validatePrice } from '../pricing';
import { BILLING_PROVIDER, type BillingProvider } from '../providers/billing-provider.port';
import {
  BillingPriceResponse,
  CreateBillingPriceRequest,
  ListPricesQuery,
  PriceQuoteRequest,
  PriceQuoteResponse,
} from './dto/price.dto';
import { toPriceDefinition } from './price-definition';

@Injectable()
export class PricesService {
  constructor(@Inject(BILLING_PROVIDER) private readonly billing: BillingProvider) {}

  /**
   * Adds a price to a product. The definition is validated by the pricing engine before it is
   * stored, so every stored price can be priced.
   */
  async create(
    caller: Principal,
    request: CreateBillingPriceRequest,
  ): Promise<BillingPriceResponse> {
    assertCatalogWriter(caller);
    assertNoProblems(priceRequestProblems(request));
    const definition = toPriceDefinition(request);
    withEngine(() => {
      validatePrice(definition);
    });
    const product = await this.billing.getProduct(request.productId);
    if (!product)
      throw new ApiError(
        422,
        BillingErrorCode.PRODUCT_NOT_FOUND,
        `Product ${request.productId} does not exist.`,
      );
    if (!product.active)
      throw new ApiError(
        422,
        BillingErrorCode.PRODUCT_INACTIVE,
        `Product ${product.name} is inactive and takes no new prices.`,
      );
    const recurring = request.type === 'recurring';
    const price = await this.billing.createPrice({
      productId: request.productId,
      externalId: request.externalId,
      nickname: request.nickname,
      currency: request.currency,
      type: request.type,
      interval: recurring ? request.interval : undefined,
      usageType: recurring ? (request.usageType ?? 'licensed') : undefined,
      meter: recurring ? request.meter : undefined,
      definition,
      active: request.active ?? true,
    });
    return toPriceResponse(price);
  }

  async get(id: string): Promise<BillingPriceResponse> {
    const price = await this.billing.getPrice(id);
    if (!price)
      throw new ApiError(404, BillingErrorCode.PRICE_NOT_FOUND, `Price ${id} does not exist.`);
    return toPriceResponse(price);
  }

  async list(query: ListPricesQuery): Promise<Page<BillingPriceResponse>> {
    const { legalEntities: _all, ...window } = keysetWindow(query);
    const slice = await this.billing.listPrices({
      ...window,
      productId: query.productId,
      currency: query.currency,
      active: query.active,
    });
    return keysetPage(slice, toPriceResponse);
  }

  /** What a quantity costs for one period under the price, with the breakdown. Records nothing. */
  async quote(id: string, request: PriceQuoteRequest): Promise<PriceQuoteResponse> {
    const price = await this.billing.getPrice(id);
    if (!price)
      throw new ApiError(404, BillingErrorCode.PRICE_NOT_FOUND, `Price ${id} does not exist.`);
    const calculation = withEngine(() => priceQuantity(price.definition, request.quantity));
    return toQuoteResponse(price.id, calculation);
  }
}
