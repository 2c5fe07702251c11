import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  ChangeStageRequest,
  CreateOpportunityRequest,
  ListOpportunitiesQuery,
  OpportunityPage,
  OpportunityResponse,
  ReplaceLinesRequest,
  UpdateBillingStatusRequest,
} from './dto/opportunity.dto';
import { OpportunitiesService } from './opportunities.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag from your last read; a stale one gets 412',
};

@ApiTags('Opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  /** Creates an opportunity with its lines, in the prospecting stage. */
  @Post()
  @RequireScopes('crm:write')
  @ApiCreatedResponse({ type: OpportunityResponse })
  @ApiProblems(400, 403, 409, 422)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateOpportunityRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpportunityResponse> {
    const created = await this.opportunities.create(caller, body);
    void reply
      .header('etag', etagFor(created.version))
      .header('location', `opportunities/${created.id}`);
    return created;
  }

  /** Lists opportunities; filter by stage, account and updatedSince. */
  @Get()
  @RequireScopes('crm:read')
  @ApiOkResponse({ type: OpportunityPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListOpportunitiesQuery,
  ): Promise<Page<OpportunityResponse>> {
    return this.opportunities.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('crm:read')
  @ApiOkResponse({ type: OpportunityResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpportunityResponse> {
    const found = await this.opportunities.get(caller, id);
    void reply.header('etag', etagFor(found.version));
    return found;
  }

  /** Replaces the lines of an open opportunity. */
  @Put(':id/lines')
  @RequireScopes('crm:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OpportunityResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  async replaceLines(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: ReplaceLinesRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpportunityResponse> {
    const updated = await this.opportunities.replaceLines(caller, id, body.lines, ifMatch);
    void reply.header('etag', etagFor(updated.version));
    return updated;
  }

  /** Moves the opportunity to a stage. closed_won emits crm.opportunity.closed_won.v1 to the outbox. */
  @Post(':id/stage')
  @HttpCode(200)
  @RequireScopes('crm:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OpportunityResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  async changeStage(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: ChangeStageRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpportunityResponse> {
    const updated = await this.opportunities.changeStage(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(updated.version));
    return updated;
  }

  /** Write-back from the process layer: where billing stands for this won deal. */
  @Patch(':id/billing-status')
  @RequireScopes('crm:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: OpportunityResponse })
  @ApiProblems(400, 403, 404, 409, 412)
  async updateBillingStatus(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateBillingStatusRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpportunityResponse> {
    const updated = await this.opportunities.updateBillingStatus(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(updated.version));
    return updated;
  }
}
