import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { priceRequestProblems } from '@revgate/canonical';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import {
  assertCatalogWriter,
  assertNoImmutableChange,
  assertNoProblems,
  withEngine,
} from '../billing.guards';
import { toPriceResponse, toQuoteResponse } from '../billing.mappers';
import { priceQuantity, validatePrice } from '../pricing';
import { BILLING_PROVIDER, type BillingProvider } from '../providers/billing-provider.port';
import {
  BillingPriceResponse,
  CreateBillingPriceRequest,
  ListPricesQuery,
  PriceQuoteRequest,
  PRICE_TERMS,
  PriceQuoteResponse,
  UpdateBillingPriceRequest,
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

  /**
   * Changes what describes a price (external id, nickname) and whether it is active. Its terms are
   * fixed, as Stripe's: naming one is refused (422), since subscriptions and invoices priced by it
   * must keep meaning what they meant. A price is reactivated only under an active product.
   */
  async update(
    caller: Principal,
    id: string,
    request: UpdateBillingPriceRequest,
    ifMatch?: string,
  ): Promise<BillingPriceResponse> {
    assertCatalogWriter(caller);
    const guard = { expectedVersion: expectedVersion(ifMatch) };
    const current = await this.get(id);
    assertNoImmutableChange(
      PRICE_TERMS.filter((field) => request[field] !== undefined).map((field) => ({
        pointer: `/${field}`,
        detail: `${field} of a price cannot change`,
      })),
      'create a new price instead (and deactivate this one with active: false)',
    );
    if (request.active === true && !current.active) {
      const product = await this.billing.getProduct(current.productId);
      if (!product?.active)
        throw new ApiError(
          422,
          BillingErrorCode.PRODUCT_INACTIVE,
          `Product ${product?.name ?? current.productId} is inactive; activate it before its prices.`,
          { errors: [{ pointer: '/active', detail: 'the product of the price is inactive' }] },
        );
    }
    const price = await this.billing.updatePrice(
      id,
      { externalId: request.externalId, nickname: request.nickname, active: request.active },
      guard,
    );
    return toPriceResponse(price);
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
