import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import { ApiError, staleWrite, validationProblem } from '@revgate/platform';
import { applyKeyset, toSlice, TransactionHost, isUniqueViolation } from '@revgate/persistence';
import { CrmErrorCode } from '../../crm-error-code';
import {
  AccountChanges,
  AccountFilter,
  CLOSED_STAGES,
  CrmAccount,
  CrmBillingStatus,
  CrmOpportunity,
  CrmProduct,
  CrmProvider,
  NewAccount,
  NewOpportunity,
  NewOpportunityLine,
  NewProduct,
  OpportunityFilter,
  OpportunityStage,
  ProductChanges,
  ProductFilter,
  Slice,
  WriteGuard,
} from '../crm-provider.port';
import { fitsAmountColumn, lineTotal, sumOfTotals } from './line-total';
import {
  AccountEntity,
  OpportunityEntity,
  OpportunityLineEntity,
  ProductEntity,
  StageChangeEntity,
} from './sandbox.entities';

const normalize = (d: string): string => new MoneyDecimal(d).toFixed();

/** A change set without the fields the caller left out (DTO instances carry them as undefined). */
function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function visible(entity: string, legalEntities?: readonly string[]): boolean {
  return legalEntities === undefined || legalEntities.includes(entity);
}

function toAccount(e: AccountEntity): CrmAccount {
  return {
    id: e.id,
    externalId: e.externalId ?? undefined,
    legalName: e.legalName,
    billingAddress: e.billingAddress,
    taxRegistration: e.taxRegistration ?? undefined,
    currency: e.currency,
    legalEntity: e.legalEntity,
    parentAccountId: e.parentAccountId ?? undefined,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toProduct(e: ProductEntity): CrmProduct {
  return {
    id: e.id,
    externalId: e.externalId ?? undefined,
    sku: e.sku,
    name: e.name,
    family: e.family ?? undefined,
    active: e.active,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toOpportunity(e: OpportunityEntity): CrmOpportunity {
  const { updatedAt, ...status } = e.billingStatus;
  return {
    id: e.id,
    externalId: e.externalId ?? undefined,
    accountId: e.accountId,
    legalEntity: e.legalEntity,
    name: e.name,
    stage: e.stage,
    closeDate: e.closeDate ?? undefined,
    currency: e.currency,
    amount: roundMoney(e.amount, e.currency),
    lines: [...(e.lines ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        id: l.id,
        productId: l.productId,
        quantity: normalize(l.quantity),
        unitPrice: normalize(l.unitPrice),
        discountPercent: normalize(l.discountPercent),
        termMonths: l.termMonths,
        startDate: l.startDate,
        totalPrice: roundMoney(l.totalPrice, e.currency),
      })),
    billingStatus: { ...status, ...(updatedAt ? { updatedAt: new Date(updatedAt) } : {}) },
    stageHistory: [...(e.stageHistory ?? [])]
      .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime())
      .map((c) => ({ stage: c.stage, changedAt: c.changedAt, changedBy: c.changedBy })),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/**
 * The sandbox CRM: Salesforce's objects simulated in the app's schema, with the refusals a real CRM
 * gives (unknown references, closed opportunities, duplicate external ids).
 */
@Injectable()
export class SandboxCrmProvider implements CrmProvider {
  readonly name = 'sandbox';

  constructor(private readonly tx: TransactionHost) {}

  private get em(): EntityManager {
    return this.tx.manager;
  }

  // ---- accounts -----------------------------------------------------------------------------

  async createAccount(input: NewAccount, callerEntities?: readonly string[]): Promise<CrmAccount> {
    return this.tx.run(async () => {
      if (input.parentAccountId)
        await this.requireParent(
          input.parentAccountId,
          input.legalEntity,
          undefined,
          callerEntities,
        );
      const now = new Date();
      const entity = this.em.create(AccountEntity, {
        id: randomUUID(),
        externalId: input.externalId ?? null,
        legalName: input.legalName,
        billingAddress: input.billingAddress,
        taxRegistration: input.taxRegistration ?? null,
        currency: input.currency,
        legalEntity: input.legalEntity,
        parentAccountId: input.parentAccountId ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.em.insert(AccountEntity, entity);
      } catch (e) {
        if (isUniqueViolation(e, 'uq_accounts_external_id')) {
          throw new ApiError(
            409,
            CrmErrorCode.EXTERNAL_ID_TAKEN,
            `An account with externalId ${input.externalId ?? ''} already exists.`,
          );
        }
        throw e;
      }
      return toAccount(entity);
    });
  }

  private async requireParent(
    parentId: string,
    legalEntity: string,
    childId?: string,
    callerEntities?: readonly string[],
  ): Promise<void> {
    // Share-locked: the parent cannot move to another legal entity until this write commits.
    const parent = await this.em.findOne(AccountEntity, {
      where: { id: parentId },
      lock: { mode: 'pessimistic_read' },
    });
    // A parent the caller may not see does not exist for them.
    if (!parent || !visible(parent.legalEntity, callerEntities))
      throw new ApiError(
        422,
        CrmErrorCode.PARENT_ACCOUNT_INVALID,
        `Parent account ${parentId} does not exist.`,
      );
    if (parent.legalEntity !== legalEntity) {
      throw new ApiError(
        422,
        CrmErrorCode.PARENT_ACCOUNT_INVALID,
        'A parent account must belong to the same legal entity.',
      );
    }
    // An account may not become its own ancestor: walk up from the new parent (UNION stops on any
    // cycle already there, whatever the depth).
    if (childId) {
      const table = this.em.getRepository(AccountEntity).metadata.tablePath;
      const loop: unknown[] = await this.em.query(
        `with recursive up(id, parent_account_id) as (
           select id, parent_account_id from ${table} where id = $1
           union
           select a.id, a.parent_account_id from ${table} a join up on a.id = up.parent_account_id
         ) select 1 from up where id = $2 limit 1`,
        [parentId, childId],
      );
      if (loop.length > 0) {
        throw new ApiError(
          422,
          CrmErrorCode.PARENT_ACCOUNT_INVALID,
          'That parent would make the account hierarchy circular.',
        );
      }
    }
  }

  async getAccount(id: string, legalEntities?: readonly string[]): Promise<CrmAccount | undefined> {
    const entity = await this.em.findOneBy(AccountEntity, { id });
    return entity && visible(entity.legalEntity, legalEntities) ? toAccount(entity) : undefined;
  }

  async listAccounts(filter: AccountFilter): Promise<Slice<CrmAccount>> {
    const qb = applyKeyset(this.em.createQueryBuilder(AccountEntity, 'a'), filter, 'legalEntity');
    if (filter.legalEntity) qb.andWhere('a.legalEntity = :le', { le: filter.legalEntity });
    if (filter.externalId) qb.andWhere('a.externalId = :ext', { ext: filter.externalId });
    return toSlice(await qb.getMany(), filter.limit, toAccount);
  }

  async updateAccount(id: string, changes: AccountChanges, guard: WriteGuard): Promise<CrmAccount> {
    return this.tx.run(async () => {
      const entity = await this.em.findOne(AccountEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entity || !visible(entity.legalEntity, guard.legalEntities)) {
        throw new ApiError(404, CrmErrorCode.ACCOUNT_NOT_FOUND, `Account ${id} does not exist.`);
      }
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
        throw staleWrite('account', entity.version);
      const legalEntity = changes.legalEntity ?? entity.legalEntity;
      // null detaches the parent; a new legal entity must still match the parent's and the children's.
      const parentId =
        changes.parentAccountId === undefined ? entity.parentAccountId : changes.parentAccountId;
      if (parentId && (changes.parentAccountId || legalEntity !== entity.legalEntity))
        await this.requireParent(parentId, legalEntity, id, guard.legalEntities);
      if (
        legalEntity !== entity.legalEntity &&
        (await this.em.existsBy(AccountEntity, { parentAccountId: id }))
      ) {
        throw new ApiError(
          422,
          CrmErrorCode.PARENT_ACCOUNT_INVALID,
          `Account ${id} has child accounts in ${entity.legalEntity}; move or detach them first.`,
        );
      }
      if (
        changes.currency !== undefined &&
        changes.currency !== entity.currency &&
        (await this.em
          .createQueryBuilder(OpportunityEntity, 'o')
          .where('o.accountId = :id AND o.stage NOT IN (:...closed)', { id, closed: CLOSED_STAGES })
          .getExists())
      ) {
        throw new ApiError(
          422,
          CrmErrorCode.ACCOUNT_HAS_OPEN_OPPORTUNITIES,
          `Account ${id} has open opportunities priced in ${entity.currency}; close them (or move them to another account) before changing its currency.`,
        );
      }
      const movedFrom = entity.legalEntity;
      Object.assign(entity, {
        ...definedOnly(changes),
        version: entity.version + 1,
        updatedAt: new Date(),
      });
      await this.em.save(AccountEntity, entity);
      if (legalEntity !== movedFrom) {
        // Open deals follow the account; closed ones stay with the entity they were contracted under.
        await this.em
          .createQueryBuilder()
          .update(OpportunityEntity)
          .set({ legalEntity, version: () => 'version + 1', updatedAt: entity.updatedAt })
          .where('account_id = :id AND stage NOT IN (:...closed)', { id, closed: CLOSED_STAGES })
          .execute();
      }
      return toAccount(entity);
    });
  }

  // ---- products -----------------------------------------------------------------------------

  async createProduct(input: NewProduct): Promise<CrmProduct> {
    const now = new Date();
    const entity = this.em.create(ProductEntity, {
      id: randomUUID(),
      externalId: input.externalId ?? null,
      sku: input.sku,
      name: input.name,
      family: input.family ?? null,
      active: input.active,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.em.insert(ProductEntity, entity);
    } catch (e) {
      if (isUniqueViolation(e, 'uq_products_sku'))
        throw new ApiError(
          409,
          CrmErrorCode.SKU_TAKEN,
          `A product with sku ${input.sku} already exists.`,
        );
      if (isUniqueViolation(e, 'uq_products_external_id')) {
        throw new ApiError(
          409,
          CrmErrorCode.EXTERNAL_ID_TAKEN,
          `A product with externalId ${input.externalId ?? ''} already exists.`,
        );
      }
      throw e;
    }
    return toProduct(entity);
  }

  async getProduct(id: string): Promise<CrmProduct | undefined> {
    const entity = await this.em.findOneBy(ProductEntity, { id });
    return entity ? toProduct(entity) : undefined;
  }

  async listProducts(filter: ProductFilter): Promise<Slice<CrmProduct>> {
    const qb = applyKeyset(this.em.createQueryBuilder(ProductEntity, 'p'), filter);
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    return toSlice(await qb.getMany(), filter.limit, toProduct);
  }

  async updateProduct(id: string, changes: ProductChanges, guard: WriteGuard): Promise<CrmProduct> {
    return this.tx.run(async () => {
      const entity = await this.em.findOne(ProductEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entity)
        throw new ApiError(404, CrmErrorCode.PRODUCT_NOT_FOUND, `Product ${id} does not exist.`);
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== entity.version)
        throw staleWrite('product', entity.version);
      Object.assign(entity, {
        ...definedOnly(changes),
        version: entity.version + 1,
        updatedAt: new Date(),
      });
      await this.em.save(ProductEntity, entity);
      return toProduct(entity);
    });
  }

  // ---- opportunities ------------------------------------------------------------------------

  private async buildLines(
    opportunityId: string,
    lines: NewOpportunityLine[],
    currency: string,
  ): Promise<OpportunityLineEntity[]> {
    const ids = [...new Set(lines.map((l) => l.productId))];
    const products = ids.length ? await this.em.findBy(ProductEntity, { id: In(ids) }) : [];
    for (const [i, line] of lines.entries()) {
      const product = products.find((p) => p.id === line.productId);
      if (!product)
        throw new ApiError(
          422,
          CrmErrorCode.PRODUCT_NOT_FOUND,
          `lines[${i}]: product ${line.productId} does not exist.`,
        );
      if (!product.active)
        throw new ApiError(
          422,
          CrmErrorCode.PRODUCT_INACTIVE,
          `lines[${i}]: product ${product.sku} is inactive and cannot be sold.`,
        );
    }
    const built = lines.map((line, position) =>
      this.em.create(OpportunityLineEntity, {
        id: randomUUID(),
        opportunityId,
        position,
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountPercent: line.discountPercent,
        termMonths: line.termMonths,
        startDate: line.startDate,
        totalPrice: lineTotal(line, currency),
      }),
    );
    // Bad input, not a server error: the amount columns are numeric(24,4).
    const tooLarge = built.findIndex((l) => !fitsAmountColumn(l.totalPrice));
    if (tooLarge >= 0)
      throw validationProblem([
        {
          pointer: `/lines/${tooLarge}`,
          detail: `lines[${tooLarge}]: the line total is too large`,
        },
      ]);
    if (!fitsAmountColumn(this.sum(built, currency)))
      throw validationProblem([
        { pointer: '/lines', detail: 'the sum of the line totals is too large' },
      ]);
    return built;
  }

  private sum(lines: OpportunityLineEntity[], currency: string): string {
    return sumOfTotals(
      lines.map((l) => l.totalPrice),
      currency,
    );
  }

  async createOpportunity(
    input: NewOpportunity,
    actor: string,
    legalEntities?: readonly string[],
  ): Promise<CrmOpportunity> {
    return this.tx.run(async () => {
      // Share-locked: the account's legal entity and currency hold until the deal is stored.
      const account = await this.em.findOne(AccountEntity, {
        where: { id: input.accountId },
        lock: { mode: 'pessimistic_read' },
      });
      if (!account || !visible(account.legalEntity, legalEntities)) {
        throw new ApiError(
          422,
          CrmErrorCode.ACCOUNT_NOT_FOUND,
          `Account ${input.accountId} does not exist.`,
        );
      }
      if (input.currency && input.currency !== account.currency) {
        throw new ApiError(
          422,
          CrmErrorCode.CURRENCY_MISMATCH,
          `The account trades in ${account.currency}; the opportunity cannot be in ${input.currency}.`,
        );
      }
      const id = randomUUID();
      const now = new Date();
      const lines = await this.buildLines(id, input.lines, account.currency);
      const entity = this.em.create(OpportunityEntity, {
        id,
        externalId: input.externalId ?? null,
        accountId: account.id,
        legalEntity: account.legalEntity,
        name: input.name,
        stage: 'prospecting',
        closeDate: input.closeDate ?? null,
        currency: account.currency,
        amount: this.sum(lines, account.currency),
        billingStatus: { status: 'not_started' },
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.em.insert(OpportunityEntity, entity);
      } catch (e) {
        if (isUniqueViolation(e, 'uq_opportunities_external_id')) {
          throw new ApiError(
            409,
            CrmErrorCode.EXTERNAL_ID_TAKEN,
            `An opportunity with externalId ${input.externalId ?? ''} already exists.`,
          );
        }
        throw e;
      }
      const history = [
        this.em.create(StageChangeEntity, {
          id: randomUUID(),
          opportunityId: id,
          stage: 'prospecting',
          changedAt: now,
          changedBy: actor,
        }),
      ];
      if (lines.length) await this.em.insert(OpportunityLineEntity, lines);
      await this.em.insert(StageChangeEntity, history);
      return toOpportunity({ ...entity, lines, stageHistory: history });
    });
  }

  private loadOpportunity(id: string): Promise<OpportunityEntity | null> {
    return this.em.findOne(OpportunityEntity, {
      where: { id },
      relations: { lines: true, stageHistory: true },
    });
  }

  async getOpportunity(
    id: string,
    legalEntities?: readonly string[],
  ): Promise<CrmOpportunity | undefined> {
    const entity = await this.loadOpportunity(id);
    return entity && visible(entity.legalEntity, legalEntities) ? toOpportunity(entity) : undefined;
  }

  async listOpportunities(filter: OpportunityFilter): Promise<Slice<CrmOpportunity>> {
    // Opportunities, lines and history from one snapshot, so amounts always match their lines.
    return this.tx.run(() => this.readOpportunities(filter), 'REPEATABLE READ');
  }

  private async readOpportunities(filter: OpportunityFilter): Promise<Slice<CrmOpportunity>> {
    const qb = applyKeyset(
      this.em.createQueryBuilder(OpportunityEntity, 'o'),
      filter,
      'legalEntity',
    );
    if (filter.stage) qb.andWhere('o.stage = :stage', { stage: filter.stage });
    if (filter.accountId) qb.andWhere('o.accountId = :acc', { acc: filter.accountId });
    const page = await qb.getMany();
    if (page.length === 0) return { items: [], hasMore: false };
    const ids = page.map((o) => o.id);
    const [lines, history] = await Promise.all([
      this.em.findBy(OpportunityLineEntity, { opportunityId: In(ids) }),
      this.em.findBy(StageChangeEntity, { opportunityId: In(ids) }),
    ]);
    for (const o of page) {
      o.lines = lines.filter((l) => l.opportunityId === o.id);
      o.stageHistory = history.filter((h) => h.opportunityId === o.id);
    }
    return toSlice(page, filter.limit, toOpportunity);
  }

  /** Locks the opportunity for a write and checks visibility and the caller's If-Match. */
  private async lockForWrite(id: string, guard: WriteGuard): Promise<OpportunityEntity> {
    const locked = await this.em.findOne(OpportunityEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!locked || !visible(locked.legalEntity, guard.legalEntities)) {
      throw new ApiError(
        404,
        CrmErrorCode.OPPORTUNITY_NOT_FOUND,
        `Opportunity ${id} does not exist.`,
      );
    }
    if (guard.expectedVersion !== undefined && guard.expectedVersion !== locked.version)
      throw staleWrite('opportunity', locked.version);
    const full = await this.loadOpportunity(id);
    if (!full)
      throw new ApiError(
        404,
        CrmErrorCode.OPPORTUNITY_NOT_FOUND,
        `Opportunity ${id} does not exist.`,
      );
    return full;
  }

  private async touch(
    entity: OpportunityEntity,
    changes: Partial<OpportunityEntity>,
  ): Promise<void> {
    Object.assign(entity, changes, { version: entity.version + 1, updatedAt: new Date() });
    const { lines: _lines, stageHistory: _history, account: _account, ...columns } = entity;
    await this.em.update(OpportunityEntity, { id: entity.id }, columns);
  }

  async replaceLines(
    id: string,
    lines: NewOpportunityLine[],
    guard: WriteGuard,
  ): Promise<CrmOpportunity> {
    return this.tx.run(async () => {
      const entity = await this.lockForWrite(id, guard);
      if (CLOSED_STAGES.includes(entity.stage)) {
        throw new ApiError(
          409,
          CrmErrorCode.OPPORTUNITY_CLOSED,
          `Opportunity ${id} is ${entity.stage}; its lines can no longer change.`,
        );
      }
      const built = await this.buildLines(id, lines, entity.currency);
      await this.em.delete(OpportunityLineEntity, { opportunityId: id });
      if (built.length) await this.em.insert(OpportunityLineEntity, built);
      await this.touch(entity, { amount: this.sum(built, entity.currency) });
      entity.lines = built;
      return toOpportunity(entity);
    });
  }

  async changeStage(
    id: string,
    stage: OpportunityStage,
    guard: WriteGuard,
  ): Promise<{ opportunity: CrmOpportunity; changed: boolean }> {
    return this.tx.run(async () => {
      const entity = await this.lockForWrite(id, guard);
      if (entity.stage === stage) return { opportunity: toOpportunity(entity), changed: false };
      if (CLOSED_STAGES.includes(entity.stage)) {
        throw new ApiError(
          409,
          CrmErrorCode.OPPORTUNITY_CLOSED,
          `Opportunity ${id} is already ${entity.stage}; a closed opportunity cannot change stage.`,
        );
      }
      if (stage === 'closed_won' && (entity.lines ?? []).length === 0) {
        throw new ApiError(
          422,
          CrmErrorCode.OPPORTUNITY_HAS_NO_LINES,
          `Opportunity ${id} has no lines; add what was sold before closing it won.`,
        );
      }
      // History is ordered by time: keep it strictly increasing even within one millisecond.
      const last = Math.max(0, ...(entity.stageHistory ?? []).map((c) => c.changedAt.getTime()));
      const changedAt = new Date(Math.max(Date.now(), last + 1));
      const change = this.em.create(StageChangeEntity, {
        id: randomUUID(),
        opportunityId: id,
        stage,
        changedAt,
        changedBy: guard.actor,
      });
      await this.em.insert(StageChangeEntity, change);
      await this.touch(entity, {
        stage,
        closeDate: CLOSED_STAGES.includes(stage)
          ? (entity.closeDate ?? change.changedAt.toISOString().slice(0, 10))
          : entity.closeDate,
      });
      entity.stageHistory = [...(entity.stageHistory ?? []), change];
      return { opportunity: toOpportunity(entity), changed: true };
    });
  }

  async updateBillingStatus(
    id: string,
    status: Omit<CrmBillingStatus, 'updatedAt'>,
    guard: WriteGuard,
  ): Promise<CrmOpportunity> {
    return this.tx.run(async () => {
      const entity = await this.lockForWrite(id, guard);
      if (entity.stage !== 'closed_won') {
        throw new ApiError(
          409,
          CrmErrorCode.OPPORTUNITY_NOT_WON,
          `Opportunity ${id} is ${entity.stage}; billing status is written back only for closed-won deals.`,
        );
      }
      // PATCH semantics: fields sent replace, fields left out keep their value.
      await this.touch(entity, {
        billingStatus: {
          ...entity.billingStatus,
          ...definedOnly(status),
          updatedAt: new Date().toISOString(),
        },
      });
      return toOpportunity(entity);
    });
  }
}
