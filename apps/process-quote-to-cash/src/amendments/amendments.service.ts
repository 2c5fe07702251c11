import { Injectable } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, currentCorrelationId } from '@revgate/platform';
import { WorkflowRuntime } from '@revgate/workflows';
import { MappingsService } from '../mappings/mappings.service';
import { OrderEntity } from '../orders/order.entity';
import { Q2cErrorCode } from '../q2c-error-code';
import { AMENDMENT_STEP_TITLES, AMENDMENT_STEPS } from './amendment-model';
import { AmendmentEntity } from './amendment.entity';
import { AmendmentTracker } from './amendment-tracker';
import { amendmentWorkflowId, AmendmentWorkflow } from './amendment.workflow';
import { AmendmentResponse, CreateAmendmentRequest } from './dto/amendment.dto';

const notFound = (id: string): ApiError =>
  new ApiError(404, Q2cErrorCode.AMENDMENT_NOT_FOUND, `Amendment ${id} does not exist.`);
const orderNotFound = (id: string): ApiError =>
  new ApiError(404, Q2cErrorCode.ORDER_NOT_FOUND, `Order ${id} does not exist.`);

export function toAmendmentResponse(e: AmendmentEntity): AmendmentResponse {
  return {
    id: e.id,
    orderId: e.orderId,
    type: e.type,
    request: { ...e.request },
    correlationId: e.correlationId,
    status: e.status,
    ...(e.currentStep ? { currentStep: e.currentStep } : {}),
    steps: AMENDMENT_STEPS.map((name) => ({
      name,
      title: AMENDMENT_STEP_TITLES[name],
      ...(e.steps[name] ?? { status: 'pending', attempts: 0 }),
    })),
    refs: { ...e.refs },
    ...(e.exception ? { exception: { ...e.exception } } : {}),
    ...(e.lastError ? { lastError: { ...e.lastError } } : {}),
    attempts: e.attempts,
    createdBy: e.createdBy,
    ...(e.completedAt ? { completedAt: e.completedAt.toISOString() } : {}),
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Amendments of active orders: started, read, and unblocked by operators. */
@Injectable()
export class AmendmentsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly tracker: AmendmentTracker,
    private readonly workflow: AmendmentWorkflow,
    private readonly mappings: MappingsService,
    runtime: WorkflowRuntime,
  ) {
    runtime.onLaunched(() => this.startUnstarted());
  }

  /**
   * Records the amendment and starts its workflow. Only a completed order has a contract to
   * change; a product it moves to must be mapped in the order's currency.
   */
  async create(
    caller: Principal,
    orderId: string,
    request: CreateAmendmentRequest,
  ): Promise<AmendmentResponse> {
    const order = await this.tx.manager.findOneBy(OrderEntity, { id: orderId });
    if (!order || !canSeeEntity(caller, order.legalEntity ?? '')) throw orderNotFound(orderId);
    if (order.status !== 'completed')
      throw new ApiError(
        409,
        Q2cErrorCode.ORDER_NOT_ACTIVE,
        `Order ${orderId} is ${order.status.replace('_', ' ')}: only a completed order has a contract to amend.`,
      );
    if (request.crmProductId !== undefined) {
      const mapped = await this.mappings.forProducts([request.crmProductId], order.currency ?? '');
      if (!mapped.has(request.crmProductId))
        throw new ApiError(
          422,
          Q2cErrorCode.PRODUCT_UNMAPPED,
          `CRM product ${request.crmProductId} has no ${order.currency ?? ''} mapping to a billing price and an ERP item.`,
          { errors: [{ pointer: '/crmProductId', detail: 'not mapped in the order currency' }] },
        );
    }
    const amendment = await this.tracker.open({
      id: randomUUID(),
      orderId,
      opportunityId: order.opportunityId,
      accountId: order.accountId,
      legalEntity: order.legalEntity,
      request: { ...request },
      createdBy: caller.subject,
      correlationId: currentCorrelationId() ?? order.correlationId,
    });
    await this.start(amendment);
    return toAmendmentResponse(amendment);
  }

  private async start(amendment: AmendmentEntity): Promise<void> {
    await this.tx.outside(() =>
      DBOS.startWorkflow(this.workflow, { workflowID: amendmentWorkflowId(amendment.id) }).run(
        amendment.id,
        amendment.orderId,
        amendment.correlationId,
      ),
    );
  }

  private async startUnstarted(): Promise<void> {
    const open = await this.tx.manager.findBy(AmendmentEntity, {
      status: In(['in_progress', 'needs_attention']),
    });
    for (const amendment of open)
      if (!(await DBOS.getWorkflowStatus(amendmentWorkflowId(amendment.id))))
        await this.start(amendment);
  }

  async get(caller: Principal, id: string): Promise<AmendmentResponse> {
    const amendment = await this.tx.manager.findOneBy(AmendmentEntity, { id });
    if (!amendment || !canSeeEntity(caller, amendment.legalEntity ?? '')) throw notFound(id);
    return toAmendmentResponse(amendment);
  }

  async ofOrder(caller: Principal, orderId: string): Promise<AmendmentResponse[]> {
    const order = await this.tx.manager.findOneBy(OrderEntity, { id: orderId });
    if (!order || !canSeeEntity(caller, order.legalEntity ?? '')) throw orderNotFound(orderId);
    const rows = await this.tx.manager.find(AmendmentEntity, {
      where: { orderId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toAmendmentResponse);
  }
}
