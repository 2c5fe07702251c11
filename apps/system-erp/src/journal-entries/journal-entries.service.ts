import { Inject, Injectable } from '@nestjs/common';
import { ErpEvents } from '../events/erp-events';
import { type Principal } from '@revgate/auth';
import { journalBalanceProblems, journalTotals, MoneyDecimal } from '@revgate/canonical';
import { keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpError, ErpErrorCode } from '../erp-error-code';
import { assertEntityAllowed, assertEntityVisible, assertNoProblems, found } from '../erp.guards';
import { toJournalEntryInput, toJournalEntryResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import {
  JournalEntryResponse,
  ListJournalEntriesQuery,
  PostJournalEntryRequest,
} from './dto/journal-entry.dto';

/**
 * A malformed entry (fewer than two lines, a line with both or neither side, more decimals than
 * the currency) is a 400; one whose debits do not add up to its credits is refused as an ERP
 * refuses it, 422 ERP_JOURNAL_UNBALANCED. Either way nothing reaches the ERP.
 */
function assertBalanced(request: PostJournalEntryRequest): void {
  const problems = journalBalanceProblems(request.lines, request.currency);
  const totals = journalTotals(request.lines);
  const off = new MoneyDecimal(totals.debit).minus(totals.credit);
  if (problems.length === 1 && !off.isZero())
    throw new ErpError(
      ErpErrorCode.JOURNAL_UNBALANCED,
      `The entry does not balance: debits ${totals.debit}, credits ${totals.credit}, off by ${off.abs().toFixed()}. Nothing was posted.`,
      { pointers: ['/lines'] },
    );
  assertNoProblems(problems.map((detail) => ({ pointer: '/lines', detail })));
}

@Injectable()
export class JournalEntriesService {
  constructor(
    @Inject(ERP_PROVIDER) private readonly erp: ErpProvider,
    private readonly events: ErpEvents,
  ) {}

  async post(
    caller: Principal,
    request: PostJournalEntryRequest,
  ): Promise<{ entry: JournalEntryResponse; created: boolean }> {
    assertEntityAllowed(caller, request.legalEntity);
    assertBalanced(request);
    const { record, created } = await this.erp.postJournalEntry(toJournalEntryInput(request));
    const entry = toJournalEntryResponse(record);
    await this.events.emit(
      { type: 'journal_entry', legalEntity: request.legalEntity, externalId: request.externalId },
      entry,
    );
    return { entry, created };
  }

  async get(
    caller: Principal,
    legalEntity: string,
    externalId: string,
  ): Promise<JournalEntryResponse> {
    assertEntityVisible(caller, legalEntity);
    return toJournalEntryResponse(
      found(
        await this.erp.getJournalEntry(legalEntity, externalId),
        ErpErrorCode.JOURNAL_ENTRY_NOT_FOUND,
        `Legal entity ${legalEntity} has no journal entry ${externalId}.`,
      ),
    );
  }

  async list(
    caller: Principal,
    query: ListJournalEntriesQuery,
  ): Promise<Page<JournalEntryResponse>> {
    const slice = await this.erp.listJournalEntries({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      period: query.period,
    });
    return keysetPage(slice, toJournalEntryResponse);
  }
}
