import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionHost } from '@revgate/persistence';
import { currentCorrelationId } from '@revgate/platform';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditRecord {
  actor: string;
  action: string;
  targetType: 'order' | 'amendment' | 'product_mapping';
  targetId: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log, in the caller's transaction when there is one. */
@Injectable()
export class AuditLog {
  constructor(private readonly tx: TransactionHost) {}

  async record(entry: AuditRecord): Promise<AuditEntryEntity> {
    const row: AuditEntryEntity = {
      id: randomUUID(),
      at: new Date(),
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason ?? null,
      detail: entry.detail ?? {},
      correlationId: currentCorrelationId() ?? randomUUID(),
    };
    await this.tx.manager.insert(AuditEntryEntity, row);
    return row;
  }

  entriesFor(targetType: string, targetId: string): Promise<AuditEntryEntity[]> {
    return this.tx.manager.find(AuditEntryEntity, {
      where: { targetType, targetId },
      order: { at: 'ASC', id: 'ASC' },
    });
  }
}
