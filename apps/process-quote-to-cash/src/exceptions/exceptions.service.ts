import { Injectable } from '@nestjs/common';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { applyKeyset, toSlice, TransactionHost } from '@revgate/persistence';
import { keysetPage, keysetWindow, type Page } from '@revgate/platform';
import { exceptionNotFound, OperatorActions } from '../work/operator-actions';
import type { OperatorMessage } from '../work/tracked-workflow';
import { ExceptionResponse, ListExceptionsQuery } from './dto/exception.dto';
import { ExceptionEntity } from './exception.entity';

export function toExceptionResponse(e: ExceptionEntity): ExceptionResponse {
  return {
    id: e.id,
    workType: e.workType,
    workId: e.workId,
    orderId: e.orderId,
    opportunityId: e.opportunityId,
    ...(e.accountId ? { accountId: e.accountId } : {}),
    ...(e.legalEntity ? { legalEntity: e.legalEntity } : {}),
    ...(e.period ? { period: e.period } : {}),
    step: e.step,
    code: e.code,
    title: e.title,
    detail: e.detail,
    whatToFix: e.whatToFix,
    ...(e.system ? { system: e.system } : {}),
    ...(e.systemCode ? { systemCode: e.systemCode } : {}),
    transient: e.transient,
    status: e.status,
    raisedAt: e.raisedAt.toISOString(),
    ...(e.retryAt ? { retryAt: e.retryAt.toISOString() } : {}),
    ...(e.closedAt ? { closedAt: e.closedAt.toISOString() } : {}),
    ...(e.closedBy ? { closedBy: e.closedBy } : {}),
    ...(e.closeReason ? { closeReason: e.closeReason } : {}),
    correlationId: e.correlationId,
    version: e.version,
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** The exception workbench's source: what waits, why, what to fix; and the operators' actions. */
@Injectable()
export class ExceptionsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly operator: OperatorActions,
  ) {}

  async list(caller: Principal, query: ListExceptionsQuery): Promise<Page<ExceptionResponse>> {
    const window = keysetWindow(query, caller.legalEntities);
    const qb = applyKeyset(
      this.tx.manager.createQueryBuilder(ExceptionEntity, 'x'),
      window,
      'legalEntity',
    );
    if (query.status) qb.andWhere('x.status = :status', { status: query.status });
    if (query.workType) qb.andWhere('x.workType = :wt', { wt: query.workType });
    if (query.code) qb.andWhere('x.code = :code', { code: query.code });
    if (query.legalEntity) qb.andWhere('x.legalEntity = :le', { le: query.legalEntity });
    if (query.orderId) qb.andWhere('x.orderId = :oid', { oid: query.orderId });
    if (query.accountId) qb.andWhere('x.accountId = :aid', { aid: query.accountId });
    if (query.olderThanMinutes !== undefined)
      qb.andWhere('x.raisedAt <= :before', {
        before: new Date(Date.now() - query.olderThanMinutes * 60_000),
      });
    const rows = await qb.getMany();
    return keysetPage(
      toSlice(rows, window.limit, (r) => r),
      toExceptionResponse,
    );
  }

  async get(caller: Principal, id: string): Promise<ExceptionResponse> {
    const row = await this.tx.manager.findOneBy(ExceptionEntity, { id });
    if (!row || !canSeeEntity(caller, row.legalEntity ?? '')) throw exceptionNotFound(id);
    return toExceptionResponse(row);
  }

  async act(
    caller: Principal,
    id: string,
    action: OperatorMessage['action'],
    reason?: string,
  ): Promise<ExceptionResponse> {
    return toExceptionResponse(
      await this.operator.act(caller, id, {
        action,
        by: caller.subject,
        ...(reason ? { reason } : {}),
      }),
    );
  }
}
