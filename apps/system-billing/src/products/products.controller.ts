import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  BillingProductPage,
  BillingProductResponse,
  CreateBillingProductRequest,
  ListProductsQuery,
} from './dto/product.dto';
import { ProductsService } from './products.service';

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
}
