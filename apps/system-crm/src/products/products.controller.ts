import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  CreateProductRequest,
  ListProductsQuery,
  ProductPage,
  ProductResponse,
  UpdateProductRequest,
} from './dto/product.dto';
import { ProductsService } from './products.service';

@ApiTags('Products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Adds a product to the CRM catalog (Salesforce Product2). */
  @Post()
  @RequireScopes('crm:write')
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiProblems(400, 403, 409)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateProductRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.create(caller, body);
    void reply
      .header('etag', etagFor(product.version))
      .header('location', `products/${product.id}`);
    return product;
  }

  @Get()
  @RequireScopes('crm:read')
  @ApiOkResponse({ type: ProductPage })
  @ApiProblems(400, 403)
  list(@Query() query: ListProductsQuery): Promise<Page<ProductResponse>> {
    return this.products.list(query);
  }

  @Get(':id')
  @RequireScopes('crm:read')
  @ApiOkResponse({ type: ProductResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.get(id);
    void reply.header('etag', etagFor(product.version));
    return product;
  }

  @Patch(':id')
  @RequireScopes('crm:write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from your last read' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiProblems(400, 403, 404, 412)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateProductRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.update(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(product.version));
    return product;
  }
}
