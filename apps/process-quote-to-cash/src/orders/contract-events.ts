import { Injectable } from '@nestjs/common';
import { EventTypes } from '@revgate/canonical';
import { eventIdFor, OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { runWithCorrelationId } from '@revgate/platform';
import { AmendmentEntity } from '../amendments/amendment.entity';
import type { AmendmentRefs } from '../amendments/amendment-model';
import { OrderEntity } from './order.entity';

/** The data of q2c.contract.activated.v1 (ContractActivated). */
export interface ContractActivatedData {
  orderId: string;
  opportunityId: string;
  accountId: string | null;
  legalEntity: string | null;
  currency: string | null;
  subscriptionId?: string;
  invoiceId?: string;
  invoiceNumber?: string;
  erpInvoiceId?: string;
  activatedAt: string;
}

/** The data of q2c.contract.amended.v1 (ContractAmended). */
export interface ContractAmendedData {
  amendmentId: string;
  orderId: string;
  opportunityId: string;
  type: string;
  refs: AmendmentRefs;
  amendedAt: string;
}

/** Emits the order's contract events through the outbox, once per fact. */
@Injectable()
export class ContractEvents {
  constructor(
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /** ContractActivated for the order; its id comes from the order, so a repeat emits nothing. */
  async activated(orderId: string, correlationId: string): Promise<string> {
    const id = eventIdFor(`q2c:contract.activated:${orderId}`);
    await runWithCorrelationId(correlationId, () =>
      this.tx.run(async () => {
        const order = await this.tx.manager.findOneByOrFail(OrderEntity, { id: orderId });
        const data: ContractActivatedData = {
          orderId,
          opportunityId: order.opportunityId,
          accountId: order.accountId,
          legalEntity: order.legalEntity,
          currency: order.currency,
          ...(order.refs.subscriptionId ? { subscriptionId: order.refs.subscriptionId } : {}),
          ...(order.refs.invoiceId ? { invoiceId: order.refs.invoiceId } : {}),
          ...(order.refs.invoiceNumber ? { invoiceNumber: order.refs.invoiceNumber } : {}),
          ...(order.refs.erpInvoiceId ? { erpInvoiceId: order.refs.erpInvoiceId } : {}),
          activatedAt: new Date().toISOString(),
        };
        await this.outbox.appendMany([
          { id, type: EventTypes.ContractActivated, subject: orderId, data },
        ]);
      }),
    );
    return id;
  }

  /** ContractAmended for the amendment; its id comes from the amendment, so a repeat emits nothing. */
  async amended(amendmentId: string, orderId: string, correlationId: string): Promise<string> {
    const id = eventIdFor(`q2c:contract.amended:${amendmentId}`);
    await runWithCorrelationId(correlationId, () =>
      this.tx.run(async () => {
        const amendment = await this.tx.manager.findOneByOrFail(AmendmentEntity, {
          id: amendmentId,
        });
        const data: ContractAmendedData = {
          amendmentId,
          orderId,
          opportunityId: amendment.opportunityId,
          type: amendment.type,
          refs: amendment.refs,
          amendedAt: new Date().toISOString(),
        };
        await this.outbox.appendMany([
          { id, type: EventTypes.ContractAmended, subject: orderId, data },
        ]);
      }),
    );
    return id;
  }
}
