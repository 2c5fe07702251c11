import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { DEFAULT_PRODUCT_FAMILY, DEFAULT_PRODUCT_TAX_CODE } from '@revgate/canonical';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { assertCatalogWriter } from '../billing.guards';
import { toProductResponse } from '../billing.mappers';
import { BILLING_PROVIDER, type BillingProvider } from '../providers/billing-provider.port';
import {
  BillingProductResponse,
  CreateBillingProductRequest,
  ListProductsQuery,
  UpdateBillingProductRequest,
} from './dto/product.dto';

@Injectable()
export class ProductsService {
  constructor(@Inject(BILLING_PROVIDER) private readonly billing: BillingProvider) {}

  async create(
    caller: Principal,
    request: CreateBillingProductRequest,
  ): Promise<BillingProductResponse> {
    assertCatalogWriter(caller);
    const product = await this.billing.createProduct({
      externalId: request.externalId,
      sku: request.sku,
      name: request.name,
      description: request.description,
      taxCode: request.taxCode ?? DEFAULT_PRODUCT_TAX_CODE,
      family: request.family ?? DEFAULT_PRODUCT_FAMILY,
      oneTimeRecognition: request.oneTimeRecognition ?? 'point_in_time',
      active: request.active ?? true,
    });
    return toProductResponse(product);
  }

  async get(id: string): Promise<BillingProductResponse> {
    const product = await this.billing.getProduct(id);
    if (!product)
      throw new ApiError(404, BillingErrorCode.PRODUCT_NOT_FOUND, `Product ${id} does not exist.`);
    return toProductResponse(product);
  }

  async list(query: ListProductsQuery): Promise<Page<BillingProductResponse>> {
    const { legalEntities: _all, ...window } = keysetWindow(query);
    const slice = await this.billing.listProducts({
      ...window,
      active: query.active,
      externalId: query.externalId,
    });
    return keysetPage(slice, toProductResponse);
  }

  async update(
    caller: Principal,
    id: string,
    request: UpdateBillingProductRequest,
    ifMatch?: string,
  ): Promise<BillingProductResponse> {
    assertCatalogWriter(caller);
    const product = await this.billing.updateProduct(
      id,
      { ...request },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return toProductResponse(product);
  }
}
