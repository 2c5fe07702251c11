import { Body, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ExternalIdParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, posted, PostingRoute, withETag } from '../erp.http';
import {
  JournalEntryPage,
  JournalEntryResponse,
  ListJournalEntriesQuery,
  PostJournalEntryRequest,
} from './dto/journal-entry.dto';
import { JournalEntriesService } from './journal-entries.service';

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
  @PostingRoute(JournalEntryResponse)
  async post(
    @Caller() caller: Principal,
    @Body() body: PostJournalEntryRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JournalEntryResponse> {
    const { entry, created } = await this.entries.post(caller, body);
    return posted(reply, 'journal-entries', entry, created);
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
  @LookupRoute(JournalEntryResponse, {
    name: 'externalId',
    description: "Revgate's id of the entry",
  })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JournalEntryResponse> {
    return withETag(reply, await this.entries.get(caller, legalEntity, externalId));
  }
}
