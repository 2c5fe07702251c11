import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { toSlice, TransactionHost } from '@revgate/persistence';
import { currentCorrelationId, keysetPage, keysetWindow, type Page } from '@revgate/platform';
import { PortalAuditEntity } from './portal-audit.entity';
import type { AuditEntryResponse, ListAuditQuery } from './audit.dto';

export interface AuditRecord {
  actor: string;
  action: 'retry' | 'resolve';
  targetType: 'exception';
  targetId: string;
  reason: string;
  detail: Record<string, unknown>;
}

const toResponse = (e: PortalAuditEntity): AuditEntryResponse => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  reason: e.reason,
  detail: { ...e.detail },
  correlationId: e.correlationId,
});

/** The portal's append-only audit log of operator actions. */
@Injectable()
export class PortalAudit {
  constructor(private readonly tx: TransactionHost) {}

  async record(entry: AuditRecord): Promise<AuditEntryResponse> {
    const row: PortalAuditEntity = {
      id: randomUUID(),
      at: new Date(),
      ...entry,
      correlationId: currentCorrelationId() ?? randomUUID(),
    };
    await this.tx.manager.insert(PortalAuditEntity, row);
    return toResponse(row);
  }

  async entriesFor(targetType: string, targetId: string): Promise<AuditEntryResponse[]> {
    const rows = await this.tx.manager.find(PortalAuditEntity, {
      where: { targetType, targetId },
      order: { at: 'ASC', id: 'ASC' },
    });
    return rows.map(toResponse);
  }

  /** The log, oldest first (keyset pages on when and id), by actor or target. */
  async list(
    query: ListAuditQuery,
    legalEntities?: readonly string[],
  ): Promise<Page<AuditEntryResponse>> {
    const window = keysetWindow(query);
    const qb = this.tx.manager
      .createQueryBuilder(PortalAuditEntity, 'a')
      .orderBy('a.at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(window.limit + 1);
    if (window.after)
      qb.andWhere('(a.at, a.id) > (:afterAt, :afterId)', {
        afterAt: window.after.updatedAt,
        afterId: window.after.id,
      });
    if (window.updatedSince) qb.andWhere('a.at >= :since', { since: window.updatedSince });
    if (query.actor) qb.andWhere('a.actor = :actor', { actor: query.actor });
    if (query.targetId) qb.andWhere('a.targetId = :target', { target: query.targetId });
    // A caller limited to some legal entities sees the actions on their work only.
    if (legalEntities)
      qb.andWhere("a.detail ->> 'legalEntity' = any(:entities)", { entities: [...legalEntities] });
    const rows = await qb.getMany();
    return keysetPage(
      toSlice(rows, window.limit, (r) => ({ row: r, id: r.id, updatedAt: r.at })),
      (r) => toResponse(r.row),
    );
  }
}
