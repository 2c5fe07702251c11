import { Injectable } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { TransactionHost } from '@revgate/persistence';
import { ApiError } from '@revgate/platform';
import { amendmentWorkflowId } from '../amendments/amendment.workflow';
import { AuditLog } from '../audit/audit-log';
import { ExceptionEntity } from '../exceptions/exception.entity';
import { orderWorkflowId } from '../orders/order.workflow';
import { Q2cErrorCode } from '../q2c-error-code';
import { OPERATOR_TOPIC, type OperatorMessage } from './tracked-workflow';

const WORDS: Record<OperatorMessage['action'], string> = {
  retry: 'retried',
  resolve: 'resolved',
  cancel: 'cancelled',
};

export const exceptionNotFound = (id: string): ApiError =>
  new ApiError(404, Q2cErrorCode.EXCEPTION_NOT_FOUND, `Exception ${id} does not exist.`);

/**
 * An operator's action on an open exception — retry the failed step, resolve the work with a
 * reason, or cancel an order (compensate) — checked (visible, open), audited and closed in one
 * transaction, then sent to the workflow that waits for it, keyed by the audit entry (a message
 * sent twice is delivered once).
 */
@Injectable()
export class OperatorActions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
  ) {}

  async act(
    caller: Principal,
    exceptionId: string,
    message: OperatorMessage,
  ): Promise<ExceptionEntity> {
    const acted = await this.tx.run(async () => {
      const exception = await this.tx.manager.findOne(ExceptionEntity, {
        where: { id: exceptionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!exception || !canSeeEntity(caller, exception.legalEntity ?? ''))
        throw exceptionNotFound(exceptionId);
      if (exception.status !== 'open')
        throw new ApiError(
          409,
          Q2cErrorCode.NOT_WAITING,
          `Exception ${exceptionId} is ${exception.status}: only an open exception can be ${WORDS[message.action]}.`,
        );
      if (message.action === 'cancel' && exception.workType !== 'order')
        throw new ApiError(
          409,
          Q2cErrorCode.CANCEL_NOT_SUPPORTED,
          `Exception ${exceptionId} belongs to an ${exception.workType}: only an order is cancelled (and compensated); resolve it instead.`,
        );
      const entry = await this.audit.record({
        actor: caller.subject,
        action: `${exception.workType}.${WORDS[message.action]}`,
        targetType: exception.workType,
        targetId: exception.workId,
        ...(message.reason ? { reason: message.reason } : {}),
        detail: { exceptionId, step: exception.step, code: exception.code },
      });
      const now = new Date();
      Object.assign(exception, {
        status: message.action === 'retry' ? 'retried' : WORDS[message.action],
        closedAt: now,
        closedBy: caller.subject,
        closeReason: message.reason ?? null,
        version: exception.version + 1,
        updatedAt: now,
      });
      await this.tx.manager.save(ExceptionEntity, exception);
      return { exception, entry };
    });
    const { exception, entry } = acted;
    await DBOS.send(
      exception.workType === 'order'
        ? orderWorkflowId(exception.opportunityId)
        : amendmentWorkflowId(exception.workId),
      message,
      OPERATOR_TOPIC,
      entry.id,
    );
    return exception;
  }
}
