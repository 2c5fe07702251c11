import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import { ETAG_HEADER, ExternalIdParam, LEGAL_ENTITY_PATH, LegalEntityParam } from '../common.dto';
import {
  JournalEntryPage,
  JournalEntryResponse,
  ListJournalEntriesQuery,
  PostJournalEntryRequest,
} from './dto/journal-entry.dto';
import { JournalEntriesService } from './journal-entries.service';

const EXTERNAL_ID = { name: 'externalId', description: "Revgate's id of the entry" };

@ApiTags('Journal entries')
@Controller('journal-entries')
export class JournalEntriesController {
  constructor(private readonly entries: JournalEntriesService) {}

  /**
   * Posts a balanced journal entry dated in an open period (summarized revenue journals come this
   * way). Every account must be in the entity's chart (422 ERP_ACCOUNT_UNKNOWN); debits must equal
   * credits (422 ERP_JOURNAL_UNBALANCED). Idempotent by external id: the same entry again answers
   * 200 with the first posting, other content under it is a 409 ERP_EXTERNAL_ID_CONFLICT.
   */
  @Post()
  @RequireScopes('erp:write')
  @ApiCreatedResponse({
    type: JournalEntryResponse,
    headers: ETAG_HEADER,
    description: 'Posted now',
  })
  @ApiOkResponse({
    type: JournalEntryResponse,
    headers: ETAG_HEADER,
    description: 'Posted before with this content: the first posting',
  })
  @ApiProblems(400, 403, 409, 422, 502, 503)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostJournalEntryRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JournalEntryResponse> {
    const { entry, created } = await this.entries.post(caller, body);
    void reply
      .status(created ? 201 : 200)
      .header('etag', etagFor(entry.version))
      .header(
        'location',
        `journal-entries/${entry.legalEntity}/${encodeURIComponent(entry.externalId)}`,
      );
    return entry;
  }

  /** Lists journal entries (not those of documents and payments), oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: JournalEntryPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListJournalEntriesQuery,
  ): Promise<Page<JournalEntryResponse>> {
    return this.entries.list(caller, query);
  }

  /** Looks a journal entry up by its external id. */
  @Get(':legalEntity/:externalId')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(EXTERNAL_ID)
  @ApiOkResponse({ type: JournalEntryResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JournalEntryResponse> {
    const entry = await this.entries.get(caller, legalEntity, externalId);
    void reply.header('etag', etagFor(entry.version));
    return entry;
  }
}
