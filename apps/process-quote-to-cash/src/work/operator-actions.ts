import { Injectable } from '@nestjs/common';
import { DBOS } from '@dbos-inc/dbos-sdk';
import type { EntityTarget } from 'typeorm';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { TransactionHost } from '@revgate/persistence';
import { ApiError } from '@revgate/platform';
import { AuditLog, type AuditRecord } from '../audit/audit-log';
import type { AuditEntryEntity } from '../audit/audit-entry.entity';
import { Q2cErrorCode } from '../q2c-error-code';
import type { TrackedRecord } from './tracked';
import { OPERATOR_TOPIC, type OperatorMessage } from './tracked-workflow';

/** What an operator acts on: a tracked record of a legal entity, and the workflow that runs it. */
export interface OperatedKind<E extends TrackedRecord & { legalEntity: string | null }> {
  target: EntityTarget<E>;
  /** 'order', 'amendment' (audit target type and wording). */
  noun: AuditRecord['targetType'];
  notFound: (id: string) => ApiError;
  workflowId: (record: E) => string;
}

/**
 * An operator's retry or resolve of parked work: checked (visible, waiting), audited in the same
 * transaction, then sent to the workflow that waits for it — keyed by the audit entry, so a message
 * sent twice is delivered once.
 */
@Injectable()
export class OperatorActions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditLog,
  ) {}

  async send<E extends TrackedRecord & { legalEntity: string | null }>(
    kind: OperatedKind<E>,
    caller: Principal,
    id: string,
    message: OperatorMessage,
  ): Promise<{ record: E; actions: AuditEntryEntity[] }> {
    const audited = await this.tx.run(async () => {
      const record = await this.tx.manager
        .getRepository(kind.target)
        .createQueryBuilder('r')
        .where('r.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!record || !canSeeEntity(caller, record.legalEntity ?? '')) throw kind.notFound(id);
      if (record.status !== 'needs_attention')
        throw new ApiError(
          409,
          Q2cErrorCode.NOT_WAITING,
          `The ${kind.noun.replace('_', ' ')} ${id} is ${record.status.replace('_', ' ')}: only work that needs attention can be ${message.action === 'retry' ? 'retried' : 'resolved'}.`,
        );
      const entry = await this.audit.record({
        actor: caller.subject,
        action: `${kind.noun}.${message.action === 'retry' ? 'retried' : 'resolved'}`,
        targetType: kind.noun,
        targetId: id,
        ...(message.reason ? { reason: message.reason } : {}),
        detail: { step: record.exception?.step, exception: record.exception?.code },
      });
      return { record, entry };
    });
    await DBOS.send(kind.workflowId(audited.record), message, OPERATOR_TOPIC, audited.entry.id);
    return { record: audited.record, actions: await this.audit.entriesFor(kind.noun, id) };
  }
}
