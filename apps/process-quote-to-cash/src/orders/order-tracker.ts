import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@revgate/persistence';
import { OrderEntity } from './order.entity';
import {
  initialSteps,
  type OrderException,
  type OrderRefs,
  type OrderStatus,
  type OrderStep,
  type StepState,
} from './order-model';

/**
 * The order's trace, as the workflow moves it: every step with its timestamps and attempts, the ids
 * made in each system, why it waits. The workflow calls it from DBOS steps, so each change is made
 * once; every change is a locked read-modify-write of one row.
 */
@Injectable()
export class OrderTracker {
  constructor(private readonly tx: TransactionHost) {}

  /** The order of an opportunity: the existing one, or a new one (`created`). */
  async open(
    opportunityId: string,
    createdBy: string,
    correlationId: string,
  ): Promise<{ order: OrderEntity; created: boolean }> {
    return this.tx.run(async () => {
      const now = new Date();
      const table = this.tx.manager.getRepository(OrderEntity).metadata.tablePath;
      const inserted: { id: string }[] = await this.tx.manager.query(
        `insert into ${table} (id, opportunity_id, correlation_id, status, steps, refs, attempts, created_by, version, created_at, updated_at)
         values ($1, $2, $3, 'in_progress', $4, '{}', 0, $5, 1, $6, $6)
         on conflict (opportunity_id) do nothing
         returning id`,
        [
          randomUUID(),
          opportunityId,
          correlationId,
          JSON.stringify(initialSteps()),
          createdBy,
          now,
        ],
      );
      const order = await this.tx.manager.findOneByOrFail(OrderEntity, { opportunityId });
      return { order, created: inserted.length === 1 };
    });
  }

  async load(orderId: string): Promise<OrderEntity> {
    return this.tx.manager.findOneByOrFail(OrderEntity, { id: orderId });
  }

  identify(
    orderId: string,
    who: { accountId: string; legalEntity: string; currency: string },
  ): Promise<OrderEntity> {
    return this.change(orderId, (o) => {
      o.accountId = who.accountId;
      o.legalEntity = who.legalEntity;
      o.currency = who.currency;
    });
  }

  running(orderId: string, step: OrderStep, at: Date): Promise<OrderEntity> {
    return this.change(orderId, (o) => {
      const state = o.steps[step];
      o.steps[step] = {
        ...state,
        status: 'running',
        startedAt: state.startedAt ?? at.toISOString(),
        attempts: state.attempts + 1,
      };
      o.currentStep = step;
      o.attempts += 1;
    });
  }

  done(
    orderId: string,
    step: OrderStep,
    at: Date,
    refs: OrderRefs = {},
    detail?: string,
    status: StepState['status'] = 'done',
  ): Promise<OrderEntity> {
    return this.change(orderId, (o) => {
      o.steps[step] = {
        ...o.steps[step],
        status,
        finishedAt: at.toISOString(),
        ...(detail === undefined ? {} : { detail }),
      };
      o.refs = { ...o.refs, ...refs };
      if (o.status === 'needs_attention') {
        o.status = 'in_progress';
        o.exception = null;
      }
    });
  }

  parked(orderId: string, exception: OrderException): Promise<OrderEntity> {
    return this.change(orderId, (o) => {
      o.status = 'needs_attention';
      o.exception = exception;
      o.steps[exception.step] = {
        ...o.steps[exception.step],
        status: 'failed',
        detail: exception.detail,
      };
    });
  }

  resumed(orderId: string): Promise<OrderEntity> {
    return this.change(orderId, (o) => {
      if (o.status === 'needs_attention') o.status = 'in_progress';
      o.exception = null;
    });
  }

  finished(orderId: string, status: Extract<OrderStatus, 'completed' | 'resolved'>, at: Date) {
    return this.change(orderId, (o) => {
      o.status = status;
      o.completedAt = at;
      if (status === 'completed') {
        o.currentStep = null;
        o.exception = null;
      }
    });
  }

  private change(orderId: string, apply: (order: OrderEntity) => void): Promise<OrderEntity> {
    return this.tx.run(async () => {
      const order = await this.tx.manager.findOneOrFail(OrderEntity, {
        where: { id: orderId },
        lock: { mode: 'pessimistic_write' },
      });
      apply(order);
      order.version += 1;
      order.updatedAt = new Date();
      await this.tx.manager.save(OrderEntity, order);
      return order;
    });
  }
}
