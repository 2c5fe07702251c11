import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import {
  CreateProductMappingRequest,
  ListProductMappingsQuery,
  ProductMappingPage,
  ProductMappingResponse,
  UpdateProductMappingRequest,
} from './dto/mapping.dto';
import { MappingsService } from './mappings.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'ETag from your last read' };

@ApiTags('Product mappings')
@Controller('product-mappings')
export class MappingsController {
  constructor(private readonly mappings: MappingsService) {}

  /**
   * Maps a CRM product, for deals in one currency, to the billing price orders subscribe to and the
   * ERP item its revenue posts under. The CRM product and the billing price are checked (the price
   * recurring, licensed, in the currency). Audited.
   */
  @Post()
  @RequireScopes('q2c:operate')
  @ApiCreatedResponse({ type: ProductMappingResponse })
  @ApiProblems(400, 403, 409, 422, 503)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateProductMappingRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductMappingResponse> {
    const mapping = await this.mappings.create(caller, body);
    void reply
      .header('etag', etagFor(mapping.version))
      .header('location', `product-mappings/${mapping.id}`);
    return mapping;
  }

  @Get()
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: ProductMappingPage })
  @ApiProblems(400, 403)
  list(@Query() query: ListProductMappingsQuery): Promise<Page<ProductMappingResponse>> {
    return this.mappings.list(query);
  }

  @Get(':id')
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: ProductMappingResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductMappingResponse> {
    const mapping = await this.mappings.get(id);
    void reply.header('etag', etagFor(mapping.version));
    return mapping;
  }

  /** Changes the billing price, the ERP item or the note; orders already mapped keep theirs. */
  @Patch(':id')
  @RequireScopes('q2c:operate')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ProductMappingResponse })
  @ApiProblems(400, 403, 404, 412, 422, 503)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateProductMappingRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductMappingResponse> {
    const mapping = await this.mappings.update(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(mapping.version));
    return mapping;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('q2c:operate')
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 403, 404, 412)
  async remove(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.mappings.remove(caller, id, ifMatch);
  }
}
