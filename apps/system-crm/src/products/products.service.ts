import { Inject, Injectable } from '@nestjs/common';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import type { Principal } from '@revgate/auth';
import { CrmErrorCode } from '../crm-error-code';
import { toProductResponse } from '../crm.mappers';
import { CRM_PROVIDER, type CrmProvider } from '../providers/crm-provider.port';
import {
  CreateProductRequest,
  ListProductsQuery,
  ProductResponse,
  UpdateProductRequest,
} from './dto/product.dto';

/** The catalog is shared by every legal entity: only a caller who sees them all may change it. */
function assertMayChangeCatalog(caller: Principal): void {
  if (caller.legalEntities !== undefined) {
    throw new ApiError(
      403,
      CrmErrorCode.CATALOG_FORBIDDEN,
      'The catalog is shared by every legal entity; a token limited to some legal entities may read it but not change it.',
    );
  }
}

@Injectable()
export class ProductsService {
  constructor(@Inject(CRM_PROVIDER) private readonly crm: CrmProvider) {}

  async create(caller: Principal, request: CreateProductRequest): Promise<ProductResponse> {
    assertMayChangeCatalog(caller);
    return toProductResponse(
      await this.crm.createProduct({ ...request, active: request.active ?? true }),
    );
  }

  async get(id: string): Promise<ProductResponse> {
    const product = await this.crm.getProduct(id);
    if (!product)
      throw new ApiError(404, CrmErrorCode.PRODUCT_NOT_FOUND, `Product ${id} does not exist.`);
    return toProductResponse(product);
  }

  async list(query: ListProductsQuery): Promise<Page<ProductResponse>> {
    const { legalEntities: _all, ...window } = keysetWindow(query);
    return keysetPage(
      await this.crm.listProducts({ ...window, active: query.active }),
      toProductResponse,
    );
  }

  async update(
    caller: Principal,
    id: string,
    request: UpdateProductRequest,
    ifMatch?: string,
  ): Promise<ProductResponse> {
    assertMayChangeCatalog(caller);
    const product = await this.crm.updateProduct(id, request, {
      expectedVersion: expectedVersion(ifMatch),
      actor: caller.subject,
    });
    return toProductResponse(product);
  }
}
