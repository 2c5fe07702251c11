import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@revgate/persistence';
import { initialSteps, Tracker } from '../work/tracked';
import { ORDER_STEPS } from './order-model';
import { OrderEntity } from './order.entity';

/** The orders' trace (see Tracker), and how an order is opened: once per opportunity. */
@Injectable()
export class OrderTracker extends Tracker<OrderEntity> {
  constructor(tx: TransactionHost) {
    super(tx, OrderEntity, {
      workType: 'order',
      of: (o) => ({
        orderId: o.id,
        opportunityId: o.opportunityId,
        accountId: o.accountId,
        legalEntity: o.legalEntity,
        correlationId: o.correlationId,
      }),
    });
  }

  /**
   * The order of an opportunity: the existing one, or a new one (`created`), which records who it
   * is for (`who`, when the caller knows it) in the same statement.
   */
  async open(
    opportunityId: string,
    createdBy: string,
    correlationId: string,
    who?: { accountId: string; legalEntity: string; currency: string },
  ): Promise<{ order: OrderEntity; created: boolean }> {
    return this.tx.run(async () => {
      const now = new Date();
      const table = this.tx.manager.getRepository(OrderEntity).metadata.tablePath;
      const inserted: { id: string }[] = await this.tx.manager.query(
        `insert into ${table} (id, opportunity_id, correlation_id, status, steps, refs, attempts, created_by, version, created_at, updated_at, account_id, legal_entity, currency)
         values ($1, $2, $3, 'in_progress', $4, '{}', 0, $5, 1, $6, $6, $7, $8, $9)
         on conflict (opportunity_id) do nothing
         returning id`,
        [
          randomUUID(),
          opportunityId,
          correlationId,
          JSON.stringify(initialSteps(ORDER_STEPS)),
          createdBy,
          now,
          who?.accountId ?? null,
          who?.legalEntity ?? null,
          who?.currency ?? null,
        ],
      );
      const order = await this.tx.manager.findOneByOrFail(OrderEntity, { opportunityId });
      return { order, created: inserted.length === 1 };
    });
  }
}
