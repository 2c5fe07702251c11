import { Injectable, Logger } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { In } from 'typeorm';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { applyKeyset, toSlice, TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  currentCorrelationId,
  keysetPage,
  keysetWindow,
  type Page,
} from '@revgate/platform';
import { UpstreamUnavailableError } from '@revgate/resilience';
import { WorkflowRuntime } from '@revgate/workflows';
import { AuditLog } from '../audit/audit-log';
import type { AuditEntryEntity } from '../audit/audit-entry.entity';
import { Q2cErrorCode } from '../q2c-error-code';
import { SystemApis } from '../system-apis';
import { ListOrdersQuery, OrderResponse } from './dto/order.dto';
import { COMPENSATION_STEPS, ORDER_STEPS, STEP_TITLES } from './order-model';
import { OrderEntity } from './order.entity';
import { OrderTracker } from './order-tracker';
import { INVOICE_FINALIZED_TOPIC, orderWorkflowId, OrderWorkflow } from './order.workflow';

const notFound = (id: string): ApiError =>
  new ApiError(404, Q2cErrorCode.ORDER_NOT_FOUND, `Order ${id} does not exist.`);

export function toOrderResponse(e: OrderEntity, actions: AuditEntryEntity[] = []): OrderResponse {
  return {
    id: e.id,
    opportunityId: e.opportunityId,
    correlationId: e.correlationId,
    status: e.status,
    ...(e.currentStep ? { currentStep: e.currentStep } : {}),
    ...(e.legalEntity ? { legalEntity: e.legalEntity } : {}),
    ...(e.accountId ? { accountId: e.accountId } : {}),
    ...(e.currency ? { currency: e.currency } : {}),
    steps: [...ORDER_STEPS, ...COMPENSATION_STEPS.filter((name) => name in e.steps)].map(
      (name) => ({ name, title: STEP_TITLES[name], ...e.steps[name] }),
    ),
    refs: { ...e.refs },
    ...(e.exception ? { exception: { ...e.exception } } : {}),
    ...(e.lastError ? { lastError: { ...e.lastError } } : {}),
    attempts: e.attempts,
    actions: actions.map((a) => ({
      at: a.at.toISOString(),
      actor: a.actor,
      action: a.action,
      ...(a.reason ? { reason: a.reason } : {}),
    })),
    createdBy: e.createdBy,
    ...(e.completedAt ? { completedAt: e.completedAt.toISOString() } : {}),
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/**
 * Orders: started by POST /orders or the CRM's closed-won event, run by OrderWorkflow, read as the
 * per-deal trace, and unblocked by operators (retry from the failed step, or resolve).
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly tx: TransactionHost,
    private readonly tracker: OrderTracker,
    private readonly workflow: OrderWorkflow,
    private readonly apis: SystemApis,
    private readonly audit: AuditLog,
    runtime: WorkflowRuntime,
  ) {
    runtime.onLaunched(() => this.startUnstarted());
  }

  /**
   * The order of a closed-won opportunity: checked in the CRM first (so a wrong id writes
   * nothing), then recorded once per opportunity and its workflow started (once: the workflow id is
   * the opportunity's).
   */
  async create(
    caller: Principal,
    opportunityId: string,
  ): Promise<{ order: OrderResponse; created: boolean }> {
    const opportunity = await this.opportunity(opportunityId);
    if (!opportunity || !canSeeEntity(caller, opportunity.legalEntity))
      throw new ApiError(
        422,
        Q2cErrorCode.OPPORTUNITY_NOT_FOUND,
        `The CRM has no opportunity ${opportunityId}.`,
        { errors: [{ pointer: '/opportunityId', detail: 'no such opportunity' }] },
      );
    if (opportunity.stage !== 'closed_won')
      throw new ApiError(
        409,
        Q2cErrorCode.OPPORTUNITY_NOT_WON,
        `Opportunity ${opportunity.name} is ${opportunity.stage}: only a closed-won deal becomes an order.`,
      );
    const { order, created } = await this.open(opportunityId, caller.subject, {
      legalEntity: opportunity.legalEntity,
      accountId: opportunity.accountId,
      currency: opportunity.currency,
    });
    return { order: toOrderResponse(order), created };
  }

  /** From the CRM's closed-won event: the same as POST /orders, continuing the event's trace. */
  async startFromEvent(
    opportunityId: string,
    correlationId: string,
    who: { legalEntity?: string; accountId?: string; currency?: string },
  ): Promise<OrderEntity> {
    return (await this.open(opportunityId, 'crm:closed_won', who, correlationId)).order;
  }

  private async open(
    opportunityId: string,
    createdBy: string,
    who: { legalEntity?: string; accountId?: string; currency?: string },
    correlationId = currentCorrelationId() ?? opportunityId,
  ): Promise<{ order: OrderEntity; created: boolean }> {
    const { order, created } = await this.tracker.open(
      opportunityId,
      createdBy,
      correlationId,
      who.legalEntity || who.accountId
        ? {
            accountId: who.accountId ?? '',
            legalEntity: who.legalEntity ?? '',
            currency: who.currency ?? '',
          }
        : undefined,
    );
    await this.start(order);
    return { order, created };
  }

  /** Starts the order's workflow, outside the caller's transaction (it outlives the request). */
  private async start(order: OrderEntity): Promise<void> {
    await this.tx.outside(() =>
      DBOS.startWorkflow(this.workflow, {
        workflowID: orderWorkflowId(order.opportunityId),
      }).run(order.id, order.opportunityId, order.correlationId),
    );
  }

  /** Orders recorded whose workflow never started (a crash between the two): started now. */
  private async startUnstarted(): Promise<void> {
    const open = await this.tx.manager.findBy(OrderEntity, {
      status: In(['in_progress', 'needs_attention']),
    });
    for (const order of open) {
      if (await DBOS.getWorkflowStatus(orderWorkflowId(order.opportunityId))) continue;
      this.logger.warn(`order ${order.id} had no workflow: starting it`);
      await this.start(order);
    }
  }

  async get(caller: Principal, id: string): Promise<OrderResponse> {
    const order = await this.visible(caller, id);
    return toOrderResponse(order, await this.audit.entriesFor('order', id));
  }

  async list(caller: Principal, query: ListOrdersQuery): Promise<Page<OrderResponse>> {
    const window = keysetWindow(query, caller.legalEntities);
    const qb = applyKeyset(
      this.tx.manager.createQueryBuilder(OrderEntity, 'o'),
      window,
      'legalEntity',
    );
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.legalEntity) qb.andWhere('o.legalEntity = :le', { le: query.legalEntity });
    if (query.opportunityId) qb.andWhere('o.opportunityId = :opp', { opp: query.opportunityId });
    if (query.accountId) qb.andWhere('o.accountId = :acc', { acc: query.accountId });
    if (query.invoiceId) qb.andWhere("o.refs ->> 'invoiceId' = :inv", { inv: query.invoiceId });
    if (query.correlationId) qb.andWhere('o.correlationId = :cid', { cid: query.correlationId });
    if (query.exceptionCode)
      qb.andWhere("o.exception ->> 'code' = :code", { code: query.exceptionCode });
    const rows = await qb.getMany();
    return keysetPage(
      toSlice(rows, window.limit, (r) => r),
      (o) => toOrderResponse(o),
    );
  }

  /** Billing's invoice.finalized event, to the order that waits for it (if any). */
  async invoiceFinalized(subscriptionId: string, eventId: string): Promise<boolean> {
    const order = await this.tx.manager
      .createQueryBuilder(OrderEntity, 'o')
      .where("o.refs ->> 'subscriptionId' = :sid", { sid: subscriptionId })
      .getOne();
    if (!order) return false;
    await DBOS.send(
      orderWorkflowId(order.opportunityId),
      { eventId },
      INVOICE_FINALIZED_TOPIC,
      `invoice.finalized:${eventId}`,
    );
    return true;
  }

  private async visible(caller: Principal, id: string): Promise<OrderEntity> {
    const order = await this.tx.manager.findOneBy(OrderEntity, { id });
    if (!order || (order.legalEntity !== null && !canSeeEntity(caller, order.legalEntity)))
      throw notFound(id);
    return order;
  }

  private async opportunity(id: string) {
    try {
      const answer = await this.apis.crm.GET('/crm/v1/opportunities/{id}', {
        params: { path: { id } },
      });
      if (answer.response.status === 404) return undefined;
      if (!answer.data)
        throw new ApiError(
          503,
          Q2cErrorCode.SYSTEM_UNAVAILABLE,
          `The CRM answered HTTP ${answer.response.status} for opportunity ${id}; nothing was started, retry later.`,
          {},
          { 'retry-after': '5' },
        );
      return answer.data;
    } catch (e) {
      if (e instanceof UpstreamUnavailableError)
        throw new ApiError(
          503,
          Q2cErrorCode.SYSTEM_UNAVAILABLE,
          `The CRM cannot be reached to check opportunity ${id} (${e.reason}); nothing was started, retry later.`,
          {},
          { 'retry-after': String(e.retryAfterSeconds) },
        );
      throw e;
    }
  }
}
