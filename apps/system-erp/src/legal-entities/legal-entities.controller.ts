import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { EntityCodeParam, ETAG_HEADER, IF_MATCH } from '../common.dto';
import { upserted, withETag } from '../erp.http';
import {
  LegalEntityPage,
  LegalEntityResponse,
  ListLegalEntitiesQuery,
  UpsertLegalEntityRequest,
} from './dto/legal-entity.dto';
import { LegalEntitiesService } from './legal-entities.service';

const CODE = { name: 'code', example: 'US01', description: 'Legal entity code' };

@ApiTags('Legal entities')
@Controller('legal-entities')
export class LegalEntitiesController {
  constructor(private readonly entities: LegalEntitiesService) {}

  /**
   * Creates the legal entity (201) or changes it (200): name, allowed currencies, tax
   * registration, country and default accounts (each an account of the entity's chart of its
   * role's type). The functional currency is fixed once set (422 ERP_FIELD_IMMUTABLE). Sending
   * what is already there changes nothing (same version).
   */
  @Put(':code')
  @RequireScopes('erp:write')
  @ApiParam(CODE)
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: LegalEntityResponse, headers: ETAG_HEADER, description: 'Created' })
  @ApiOkResponse({
    type: LegalEntityResponse,
    headers: ETAG_HEADER,
    description: 'Changed or unchanged',
  })
  @ApiProblems(400, 403, 404, 412, 422)
  async upsert(
    @Caller() caller: Principal,
    @EntityCodeParam() code: string,
    @Body() body: UpsertLegalEntityRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegalEntityResponse> {
    const { entity, created } = await this.entities.upsert(caller, code, body, ifMatch);
    return upserted(reply, entity, created);
  }

  /** Lists the legal entities the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: LegalEntityPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListLegalEntitiesQuery,
  ): Promise<Page<LegalEntityResponse>> {
    return this.entities.list(caller, query);
  }

  @Get(':code')
  @RequireScopes('erp:read')
  @ApiParam(CODE)
  @ApiOkResponse({ type: LegalEntityResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @EntityCodeParam() code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegalEntityResponse> {
    return withETag(reply, await this.entities.get(caller, code));
  }
}
