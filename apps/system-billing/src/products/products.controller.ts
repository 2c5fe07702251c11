import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  BillingProductPage,
  BillingProductResponse,
  CreateBillingProductRequest,
  ListProductsQuery,
  UpdateBillingProductRequest,
} from './dto/product.dto';
import { ProductsService } from './products.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: "The product's ETag from your last read; a stale one gets 412",
};

@ApiTags('Catalog')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Adds a product to the catalog (shared by every legal entity). */
  @Post()
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: BillingProductResponse })
  @ApiProblems(400, 403, 409)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateBillingProductRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingProductResponse> {
    const product = await this.products.create(caller, body);
    void reply
      .header('etag', etagFor(product.version))
      .header('location', `products/${product.id}`);
    return product;
  }

  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingProductPage })
  @ApiProblems(400, 403)
  list(@Query() query: ListProductsQuery): Promise<Page<BillingProductResponse>> {
    return this.products.list(query);
  }

  @Get(':id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingProductResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingProductResponse> {
    const product = await this.products.get(id);
    void reply.header('etag', etagFor(product.version));
    return product;
  }

  /**
   * Changes a product of the catalog: name, description, tax code, sku, external id, active. Send
   * If-Match with the ETag you read; a stale one gets 412.
   */
  @Patch(':id')
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: BillingProductResponse })
  @ApiProblems(400, 403, 404, 409, 412)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateBillingProductRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingProductResponse> {
    const product = await this.products.update(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(product.version));
    return product;
  }
}
