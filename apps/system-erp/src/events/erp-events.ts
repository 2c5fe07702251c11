import { Injectable, Module } from '@nestjs/common';
import { EventTypes } from '@revgate/canonical';
import { eventIdFor, EventsModule, OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';

/** What the ERP tells subscribers about: a document posted, a period closed or reopened. */
export type ErpFact =
  | {
      type: 'invoice' | 'credit_memo' | 'payment' | 'journal_entry';
      legalEntity: string;
      externalId: string;
    }
  | {
      type: 'period';
      legalEntity: string;
      period: string;
      status: 'open' | 'closed';
      version: number;
    };

const POSTED: Record<Exclude<ErpFact['type'], 'period'>, string> = {
  invoice: EventTypes.ErpInvoicePosted,
  credit_memo: EventTypes.ErpCreditMemoPosted,
  payment: EventTypes.ErpPaymentPosted,
  journal_entry: EventTypes.ErpJournalEntryPosted,
};

/**
 * The ERP's events, written to its outbox once the ERP has the fact — after the provider answers,
 * since the ERP behind the port (Tryton, NetSuite) is another system and no transaction spans
 * both. The event's id comes from the fact (a posting's entity and external id; a period's status
 * and version), so a posting replayed under its external id appends nothing new; and a crash
 * between the posting and this write is healed by the poster's retry, which every poster makes
 * until it has an answer, and which comes through here again.
 */
@Injectable()
export class ErpEvents {
  constructor(
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  async emit(fact: ErpFact, data: object): Promise<void> {
    const { type, subject, key } =
      fact.type === 'period'
        ? {
            type:
              fact.status === 'closed' ? EventTypes.ErpPeriodClosed : EventTypes.ErpPeriodReopened,
            subject: `${fact.legalEntity}/${fact.period}`,
            key: `erp:period:${fact.legalEntity}:${fact.period}:${fact.status}:${fact.version}`,
          }
        : {
            type: POSTED[fact.type],
            subject: `${fact.legalEntity}/${fact.externalId}`,
            key: `erp:${fact.type}:${fact.legalEntity}:${fact.externalId}`,
          };
    await this.tx.run(() => this.outbox.appendMany([{ id: eventIdFor(key), type, subject, data }]));
  }
}

@Module({ imports: [EventsModule], providers: [ErpEvents], exports: [ErpEvents] })
export class ErpEventsModule {}
