import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  type AccountingPeriodStatus,
  type GlAccountType,
  journalBalanceProblems,
  MoneyDecimal,
  periodEnd,
  periodOf,
  periodStart,
  roundMoney,
} from '@revgate/canonical';
import { ApiError, PlatformErrorCode, staleWrite } from '@revgate/platform';
import { applyKeyset, TransactionHost } from '@revgate/persistence';
import { ErpError, ErpErrorCode } from '../../erp-error-code';
import {
  DEFAULT_ACCOUNT_ROLES,
  type AccountFilter,
  type AccountInput,
  type ArDocument,
  type ArDocumentFilter,
  type ArDocumentInput,
  type ArDocumentKind,
  type ArLine,
  type CustomerInput,
  type DefaultAccounts,
  type DocumentFilter,
  type EntityScopedFilter,
  type ErpAccount,
  type ErpCustomer,
  type ErpItem,
  type ErpJournalEntry,
  type ErpLegalEntity,
  type ErpPayment,
  type ErpPeriod,
  type ErpProvider,
  type ItemInput,
  type JournalEntryInput,
  type LedgerLine,
  type LegalEntityInput,
  type ListWindow,
  type PaymentInput,
  type PaymentStatus,
  type PeriodFilter,
  type Posted,
  type Slice,
  type TrialBalance,
  type TrialBalanceSection,
  type Upserted,
  type WriteGuard,
} from '../erp-provider.port';
import { arDocumentFingerprint, journalEntryFingerprint, paymentFingerprint } from '../fingerprint';
import { revenueAccountFor } from '../posting-rules';
import { arDocumentLedger, assertBalanced, paymentLedger } from './ledger';
import {
  AccountEntity,
  ArDocumentEntity,
  ArDocumentLineEntity,
  CustomerEntity,
  ItemEntity,
  LegalEntityEntity,
  MoveEntity,
  MoveLineEntity,
  PaymentApplicationEntity,
  PaymentEntity,
  PeriodEntity,
  VersionedRow,
} from './sandbox.entities';

type Decimal = InstanceType<typeof MoneyDecimal>;
const ZERO = new MoneyDecimal(0);

/** JSON with sorted keys: jsonb keeps keys in its own order, so compare values this way. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const numbered = (prefix: string, legalEntity: string, seq: string): string =>
  `${prefix}-${legalEntity}-${seq.padStart(6, '0')}`;
const DOCUMENT_PREFIX: Record<ArDocumentKind, string> = { invoice: 'INV', credit_memo: 'CM' };

const versioned = (e: VersionedRow) => ({
  id: e.id,
  version: e.version,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

function toLegalEntity(e: LegalEntityEntity): ErpLegalEntity {
  const defaults: DefaultAccounts = {
    ...(e.defaultReceivable === null ? {} : { receivable: e.defaultReceivable }),
    ...(e.defaultTaxPayable === null ? {} : { taxPayable: e.defaultTaxPayable }),
    ...(e.defaultCash === null ? {} : { cash: e.defaultCash }),
    ...(e.defaultDeferredRevenue === null ? {} : { deferredRevenue: e.defaultDeferredRevenue }),
  };
  return {
    ...versioned(e),
    code: e.code,
    name: e.name,
    functionalCurrency: e.functionalCurrency,
    allowedCurrencies: [...e.allowedCurrencies],
    taxRegistration: { ...e.taxRegistration },
    country: e.country,
    defaultAccounts: defaults,
  };
}

function toPeriod(e: PeriodEntity): ErpPeriod {
  return {
    ...versioned(e),
    legalEntity: e.legalEntity,
    period: e.period,
    start: e.start,
    end: e.end,
    status: e.status,
  };
}

function toAccount(e: AccountEntity): ErpAccount {
  return { ...versioned(e), legalEntity: e.legalEntity, code: e.code, name: e.name, type: e.type };
}

function toCustomer(e: CustomerEntity): ErpCustomer {
  return {
    ...versioned(e),
    legalEntity: e.legalEntity,
    externalId: e.externalId,
    name: e.name,
    paymentTerms: e.paymentTerms,
    ...(e.currency === null ? {} : { currency: e.currency }),
    ...(e.country === null ? {} : { country: e.country }),
    ...(e.taxRegistration === null ? {} : { taxRegistration: { ...e.taxRegistration } }),
  };
}

function toItem(e: ItemEntity): ErpItem {
  return {
    ...versioned(e),
    legalEntity: e.legalEntity,
    code: e.code,
    name: e.name,
    revenueAccount: e.revenueAccount,
    ...(e.deferredRevenueAccount === null
      ? {}
      : { deferredRevenueAccount: e.deferredRevenueAccount }),
    ...(e.taxCode === null ? {} : { taxCode: e.taxCode }),
  };
}

function toLedger(lines: readonly MoveLineEntity[], currency: string): LedgerLine[] {
  const money = (v: string): string =>
    new MoneyDecimal(v).isZero() ? '0' : roundMoney(v, currency);
  return [...lines]
    .sort((a, b) => a.position - b.position)
    .map((l) => ({
      accountCode: l.accountCode,
      debit: money(l.debit),
      credit: money(l.credit),
      ...(l.memo === null ? {} : { memo: l.memo }),
      ...(l.customerExternalId === null ? {} : { customerExternalId: l.customerExternalId }),
      ...(l.dimensions === null ? {} : { dimensions: { ...l.dimensions } }),
    }));
}

function paymentStatus(total: Decimal, paid: Decimal, due: Decimal): PaymentStatus {
  if (due.isZero()) return 'paid';
  return paid.isZero() && due.equals(total) ? 'unpaid' : 'partially_paid';
}

function toArDocument(
  e: ArDocumentEntity,
  lines: readonly ArDocumentLineEntity[],
  moveLines: readonly MoveLineEntity[],
): ArDocument {
  const money = (v: string | Decimal): string => roundMoney(v, e.currency);
  const total = new MoneyDecimal(e.total);
  const credited = new MoneyDecimal(e.amountCredited);
  const paid = new MoneyDecimal(e.amountPaid);
  const due = e.kind === 'invoice' ? total.minus(credited).minus(paid) : ZERO;
  return {
    ...versioned(e),
    kind: e.kind,
    legalEntity: e.legalEntity,
    externalId: e.externalId,
    ...(e.reference === null ? {} : { reference: e.reference }),
    customerExternalId: e.customerExternalId,
    date: e.date,
    ...(e.dueDate === null ? {} : { dueDate: e.dueDate }),
    currency: e.currency,
    ...(e.memo === null ? {} : { memo: e.memo }),
    ...(e.invoiceExternalId === null ? {} : { invoiceExternalId: e.invoiceExternalId }),
    lines: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((l): ArLine => ({
        itemCode: l.itemCode,
        ...(l.description === null ? {} : { description: l.description }),
        quantity: new MoneyDecimal(l.quantity).toFixed(),
        amount: money(l.amount),
        taxAmount: money(l.taxAmount),
        ...(l.taxCode === null ? {} : { taxCode: l.taxCode }),
        ...(l.serviceStart === null || l.serviceEnd === null
          ? {}
          : { servicePeriod: { start: l.serviceStart, end: l.serviceEnd } }),
        accountCode: l.accountCode,
        deferred: l.deferred,
      })),
    number: numbered(DOCUMENT_PREFIX[e.kind], e.legalEntity, e.seq),
    period: e.period,
    status: 'posted',
    subtotal: money(e.subtotal),
    taxTotal: money(e.taxTotal),
    total: money(e.total),
    amountCredited: money(e.amountCredited),
    amountPaid: money(e.amountPaid),
    amountDue: money(due),
    ...(e.kind === 'invoice' ? { paymentStatus: paymentStatus(total, paid, due) } : {}),
    ledger: toLedger(moveLines, e.currency),
  };
}

function toPayment(
  e: PaymentEntity,
  applications: readonly PaymentApplicationEntity[],
  moveLines: readonly MoveLineEntity[],
): ErpPayment {
  const money = (v: string | Decimal): string => roundMoney(v, e.currency);
  return {
    ...versioned(e),
    legalEntity: e.legalEntity,
    externalId: e.externalId,
    customerExternalId: e.customerExternalId,
    date: e.date,
    currency: e.currency,
    amount: money(e.amount),
    cashAccount: e.cashAccount,
    ...(e.memo === null ? {} : { memo: e.memo }),
    applications: [...applications]
      .sort((a, b) => a.position - b.position)
      .map((a) => ({ invoiceExternalId: a.invoiceExternalId, amount: money(a.amount) })),
    number: numbered('PAY', e.legalEntity, e.seq),
    period: e.period,
    appliedAmount: money(e.appliedAmount),
    unappliedAmount: money(new MoneyDecimal(e.amount).minus(e.appliedAmount)),
    ledger: toLedger(moveLines, e.currency),
  };
}

function toJournalEntry(m: MoveEntity, lines: readonly MoveLineEntity[]): ErpJournalEntry {
  return {
    ...versioned(m),
    legalEntity: m.legalEntity,
    externalId: m.externalId,
    date: m.date,
    period: m.period,
    currency: m.currency,
    memo: m.memo ?? '',
    number: numbered('JE', m.legalEntity, m.seq),
    lines: toLedger(lines, m.currency),
    totalDebit: roundMoney(m.totalDebit, m.currency),
    totalCredit: roundMoney(m.totalCredit, m.currency),
  };
}

/** What a posting needs to know of its legal entity, period and customer, read in one query. */
interface PostingContext {
  entity: {
    allowedCurrencies: string[];
    defaults: DefaultAccounts;
  } | null;
  periodStatus: AccountingPeriodStatus | null;
  customerKnown: boolean;
}

/** The posting's legal entity ($1) as JSON: allowed currencies and default accounts. */
const ENTITY_JSON = `(select json_build_object('allowed', e.allowed_currencies, 'receivable', e.default_receivable,
    'taxPayable', e.default_tax_payable, 'cash', e.default_cash, 'deferredRevenue', e.default_deferred_revenue)
    from erp.legal_entities e where e.code = $1)`;
/** The status of the posting's period ($2) of the entity ($1). */
const PERIOD_STATUS = `(select p.status from erp.periods p where p.legal_entity = $1 and p.period = $2)`;
/** The same, locked shared until the transaction ends: the period cannot close under the posting. */
const LOCKED_PERIOD_STATUS = `(select p.status from erp.periods p where p.legal_entity = $1 and p.period = $2 for share)`;

function toPostingContext(
  e: EntityRow | null,
  periodStatus: AccountingPeriodStatus | null,
  customerKnown: boolean,
): PostingContext {
  return {
    entity: e && {
      allowedCurrencies: e.allowed,
      defaults: {
        ...(e.receivable === null ? {} : { receivable: e.receivable }),
        ...(e.taxPayable === null ? {} : { taxPayable: e.taxPayable }),
        ...(e.cash === null ? {} : { cash: e.cash }),
        ...(e.deferredRevenue === null ? {} : { deferredRevenue: e.deferredRevenue }),
      },
    },
    periodStatus,
    customerKnown,
  };
}

/** An item as an AR posting reads it. */
interface ArItemRef {
  code: string;
  revenueAccount: string;
  deferredRevenueAccount: string | null;
}

interface EntityRow {
  allowed: string[];
  receivable: string | null;
  taxPayable: string | null;
  cash: string | null;
  deferredRevenue: string | null;
}

/** Open invoices a credit memo or payment applies to. */
interface InvoiceDue {
  externalId: string;
  id: string;
  customerExternalId: string;
  currency: string;
  due: string;
}

const externalIdConflict = (what: string, externalId: string): ErpError =>
  new ErpError(
    ErpErrorCode.EXTERNAL_ID_CONFLICT,
    `${what} ${externalId} is already posted with other content; a posting cannot change. Post the correction as a new document (a credit memo, a reversing entry) under a new external id.`,
    { pointers: ['/externalId'] },
  );

/**
 * The sandbox ERP: a double-entry ledger in the app's schema. Every posting is a balanced move
 * (built by ledger.ts, which refuses anything else; the database's CHECK refuses it again), made
 * in one transaction with its document, or nothing at all. It refuses what a real ERP refuses:
 * postings into a closed or missing period, unknown customers, items and accounts, currencies the
 * entity does not allow, unbalanced journals, more credited or paid than is due, and other content
 * under an external id already posted.
 */
@Injectable()
export class SandboxErpProvider implements ErpProvider {
  readonly name = 'sandbox';

  constructor(private readonly tx: TransactionHost) {}

  private get em(): EntityManager {
    return this.tx.manager;
  }

  /** Serializes the writes of one key (a code, an external id) until the transaction ends. */
  private async lock(key: string): Promise<void> {
    await this.em.query('select pg_advisory_xact_lock(hashtext($1))', [`revgate:erp:${key}`]);
  }

  // --- master data ------------------------------------------------------------------------

  /**
   * Creates the row of `where`, or brings it to `fields` (a new version only when something
   * changes), honouring If-Match. `check` sees the existing row (or null) before anything is
   * written.
   */
  private async upsertRow<E extends VersionedRow>(
    target: new () => E,
    label: string,
    where: FindOptionsWhere<E>,
    fields: Omit<E, keyof VersionedRow>,
    guard: WriteGuard,
    check: (existing: E | null) => Promise<void>,
  ): Promise<{ row: E; created: boolean }> {
    const existing = await this.em.findOneBy(target, where);
    await check(existing);
    const now = new Date();
    if (!existing) {
      if (guard.expectedVersion !== undefined)
        throw new ApiError(
          412,
          PlatformErrorCode.PRECONDITION_FAILED,
          `If-Match names a version of a ${label} that does not exist.`,
        );
      const row = this.em.create(target, {
        ...fields,
        id: randomUUID(),
        version: 1,
        createdAt: now,
        updatedAt: now,
      } as unknown as E);
      await this.em.insert(target, row as never);
      return { row, created: true };
    }
    if (guard.expectedVersion !== undefined && guard.expectedVersion !== existing.version)
      throw staleWrite(label, existing.version);
    const record = existing as unknown as Record<string, unknown>;
    const changed = Object.entries(fields).some(
      ([key, value]) => canonicalJson(record[key] ?? null) !== canonicalJson(value ?? null),
    );
    if (!changed) return { row: existing, created: false };
    const update = { ...fields, version: existing.version + 1, updatedAt: now };
    await this.em.update(target, existing.id, update as QueryDeepPartialEntity<E>);
    return { row: Object.assign(existing, update), created: false };
  }

  private async entityRow(code: string): Promise<LegalEntityEntity> {
    const entity = await this.em.findOneBy(LegalEntityEntity, { code });
    if (!entity)
      throw new ErpError(
        ErpErrorCode.LEGAL_ENTITY_NOT_FOUND,
        `Legal entity ${code} does not exist.`,
      );
    return entity;
  }

  /** Each account named exists in the entity's chart with the type its role needs. */
  private async assertAccounts(
    legalEntity: string,
    wanted: readonly { code: string; type: GlAccountType; pointer: string }[],
  ): Promise<void> {
    if (wanted.length === 0) return;
    const found = await this.em.findBy(AccountEntity, {
      legalEntity,
      code: In(wanted.map((w) => w.code)),
    });
    for (const w of wanted) {
      const account = found.find((a) => a.code === w.code);
      if (!account)
        throw new ErpError(
          ErpErrorCode.ACCOUNT_UNKNOWN,
          `Account ${w.code} is not in the chart of ${legalEntity}.`,
          { pointers: [w.pointer] },
        );
      if (account.type !== w.type)
        throw new ErpError(
          ErpErrorCode.ACCOUNT_TYPE_MISMATCH,
          `Account ${w.code} of ${legalEntity} is a ${account.type} account; ${w.pointer.slice(1)} needs a ${w.type} account.`,
          { pointers: [w.pointer] },
        );
    }
  }

  async upsertLegalEntity(
    input: LegalEntityInput,
    guard: WriteGuard,
  ): Promise<Upserted<ErpLegalEntity>> {
    return this.tx.run(async () => {
      await this.lock(`legal-entity:${input.code}`);
      const d = input.defaultAccounts;
      const { row, created } = await this.upsertRow(
        LegalEntityEntity,
        'legal entity',
        { code: input.code },
        {
          code: input.code,
          name: input.name,
          functionalCurrency: input.functionalCurrency,
          allowedCurrencies: input.allowedCurrencies,
          taxRegistration: input.taxRegistration,
          country: input.country,
          defaultReceivable: d.receivable ?? null,
          defaultTaxPayable: d.taxPayable ?? null,
          defaultCash: d.cash ?? null,
          defaultDeferredRevenue: d.deferredRevenue ?? null,
        },
        guard,
        async (existing) => {
          if (existing && existing.functionalCurrency !== input.functionalCurrency)
            throw new ErpError(
              ErpErrorCode.FIELD_IMMUTABLE,
              `The functional currency of ${input.code} is ${existing.functionalCurrency}; the currency its books are kept in cannot change.`,
              { pointers: ['/functionalCurrency'] },
            );
          await this.assertAccounts(
            input.code,
            (Object.keys(DEFAULT_ACCOUNT_ROLES) as (keyof DefaultAccounts)[]).flatMap((role) => {
              const code = d[role];
              return code === undefined
                ? []
                : [
                    {
                      code,
                      type: DEFAULT_ACCOUNT_ROLES[role],
                      pointer: `/defaultAccounts/${role}`,
                    },
                  ];
            }),
          );
        },
      );
      return { record: toLegalEntity(row), created };
    });
  }

  async getLegalEntity(code: string): Promise<ErpLegalEntity | undefined> {
    const row = await this.em.findOneBy(LegalEntityEntity, { code });
    return row ? toLegalEntity(row) : undefined;
  }

  async listLegalEntities(filter: ListWindow): Promise<Slice<ErpLegalEntity>> {
    const rows = await applyKeyset(
      this.em.createQueryBuilder(LegalEntityEntity, 'e'),
      filter,
      'code',
    ).getMany();
    return {
      items: rows.slice(0, filter.limit).map(toLegalEntity),
      hasMore: rows.length > filter.limit,
    };
  }

  async openPeriod(legalEntity: string, period: string): Promise<Upserted<ErpPeriod>> {
    return this.tx.run(async () => {
      await this.lock(`period:${legalEntity}:${period}`);
      await this.entityRow(legalEntity);
      const existing = await this.em.findOneBy(PeriodEntity, { legalEntity, period });
      if (existing) return { record: toPeriod(existing), created: false };
      const now = new Date();
      const row = this.em.create(PeriodEntity, {
        id: randomUUID(),
        legalEntity,
        period,
        start: periodStart(period),
        end: periodEnd(period),
        status: 'open',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.em.insert(PeriodEntity, row);
      return { record: toPeriod(row), created: true };
    });
  }

  async getPeriod(legalEntity: string, period: string): Promise<ErpPeriod | undefined> {
    const row = await this.em.findOneBy(PeriodEntity, { legalEntity, period });
    return row ? toPeriod(row) : undefined;
  }

  async listPeriods(filter: PeriodFilter): Promise<Slice<ErpPeriod>> {
    return this.page(PeriodEntity, filter, toPeriod, (qb) => {
      if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    });
  }

  async setPeriodStatus(
    legalEntity: string,
    period: string,
    status: AccountingPeriodStatus,
    guard: WriteGuard,
  ): Promise<{ record: ErpPeriod; changed: boolean }> {
    return this.tx.run(async () => {
      // The row lock waits for postings in flight (they hold it shared) and holds back new ones.
      const row = await this.em.findOne(PeriodEntity, {
        where: { legalEntity, period },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row)
        throw new ErpError(
          ErpErrorCode.PERIOD_NOT_FOUND,
          `Legal entity ${legalEntity} has no accounting period ${period}.`,
        );
      if (row.status === status) return { record: toPeriod(row), changed: false };
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== row.version)
        throw staleWrite('period', row.version);
      const update = { status, version: row.version + 1, updatedAt: new Date() };
      await this.em.update(PeriodEntity, { id: row.id }, update);
      return { record: toPeriod(Object.assign(row, update)), changed: true };
    });
  }

  async upsertAccount(input: AccountInput, guard: WriteGuard): Promise<Upserted<ErpAccount>> {
    return this.tx.run(async () => {
      await this.lock(`account:${input.legalEntity}:${input.code}`);
      const { row, created } = await this.upsertRow(
        AccountEntity,
        'account',
        { legalEntity: input.legalEntity, code: input.code },
        { legalEntity: input.legalEntity, code: input.code, name: input.name, type: input.type },
        guard,
        async (existing) => {
          if (!existing) {
            await this.entityRow(input.legalEntity);
            return;
          }
          if (existing.type !== input.type && (await this.accountInUse(existing)))
            throw new ErpError(
              ErpErrorCode.FIELD_IMMUTABLE,
              `Account ${input.code} of ${input.legalEntity} is a ${existing.type} account with postings or in use as a default or an item's account; its type cannot change. Open a new account instead.`,
              { pointers: ['/type'] },
            );
        },
      );
      return { record: toAccount(row), created };
    });
  }

  private async accountInUse(account: AccountEntity): Promise<boolean> {
    const [row] = await this.em.query<{ used: boolean }[]>(
      `select exists (select 1 from erp.move_lines where legal_entity = $1 and account_code = $2)
           or exists (select 1 from erp.items where legal_entity = $1 and $2 in (revenue_account, deferred_revenue_account))
           or exists (select 1 from erp.legal_entities where code = $1
                        and $2 in (default_receivable, default_tax_payable, default_cash, default_deferred_revenue)) as used`,
      [account.legalEntity, account.code],
    );
    return row.used;
  }

  async getAccount(legalEntity: string, code: string): Promise<ErpAccount | undefined> {
    const row = await this.em.findOneBy(AccountEntity, { legalEntity, code });
    return row ? toAccount(row) : undefined;
  }

  async listAccounts(filter: AccountFilter): Promise<Slice<ErpAccount>> {
    return this.page(AccountEntity, filter, toAccount, (qb) => {
      if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    });
  }

  async upsertCustomer(input: CustomerInput, guard: WriteGuard): Promise<Upserted<ErpCustomer>> {
    return this.tx.run(async () => {
      await this.lock(`customer:${input.legalEntity}:${input.externalId}`);
      const { row, created } = await this.upsertRow(
        CustomerEntity,
        'customer',
        { legalEntity: input.legalEntity, externalId: input.externalId },
        {
          legalEntity: input.legalEntity,
          externalId: input.externalId,
          name: input.name,
          paymentTerms: input.paymentTerms,
          currency: input.currency ?? null,
          country: input.country ?? null,
          taxRegistration: input.taxRegistration ?? null,
        },
        guard,
        async () => {
          const entity = await this.entityRow(input.legalEntity);
          if (input.currency !== undefined && !entity.allowedCurrencies.includes(input.currency))
            throw currencyNotAllowed(input.legalEntity, input.currency, entity.allowedCurrencies);
        },
      );
      return { record: toCustomer(row), created };
    });
  }

  async getCustomer(legalEntity: string, externalId: string): Promise<ErpCustomer | undefined> {
    const row = await this.em.findOneBy(CustomerEntity, { legalEntity, externalId });
    return row ? toCustomer(row) : undefined;
  }

  async listCustomers(filter: EntityScopedFilter): Promise<Slice<ErpCustomer>> {
    return this.page(CustomerEntity, filter, toCustomer);
  }

  async upsertItem(input: ItemInput, guard: WriteGuard): Promise<Upserted<ErpItem>> {
    return this.tx.run(async () => {
      await this.lock(`item:${input.legalEntity}:${input.code}`);
      const { row, created } = await this.upsertRow(
        ItemEntity,
        'item',
        { legalEntity: input.legalEntity, code: input.code },
        {
          legalEntity: input.legalEntity,
          code: input.code,
          name: input.name,
          revenueAccount: input.revenueAccount,
          deferredRevenueAccount: input.deferredRevenueAccount ?? null,
          taxCode: input.taxCode ?? null,
        },
        guard,
        async () => {
          await this.entityRow(input.legalEntity);
          await this.assertAccounts(input.legalEntity, [
            { code: input.revenueAccount, type: 'revenue', pointer: '/revenueAccount' },
            ...(input.deferredRevenueAccount === undefined
              ? []
              : [
                  {
                    code: input.deferredRevenueAccount,
                    type: 'deferred_revenue' as const,
                    pointer: '/deferredRevenueAccount',
                  },
                ]),
          ]);
        },
      );
      return { record: toItem(row), created };
    });
  }

  async getItem(legalEntity: string, code: string): Promise<ErpItem | undefined> {
    const row = await this.em.findOneBy(ItemEntity, { legalEntity, code });
    return row ? toItem(row) : undefined;
  }

  async listItems(filter: EntityScopedFilter): Promise<Slice<ErpItem>> {
    return this.page(ItemEntity, filter, toItem);
  }

  /** A keyset page of an entity-scoped table (alias r), with the caller's filters. */
  private async page<E extends VersionedRow & { legalEntity: string } & ObjectLiteral, T>(
    target: new () => E,
    filter: EntityScopedFilter,
    map: (row: E) => T,
    where?: (qb: ReturnType<EntityManager['createQueryBuilder']>) => void,
  ): Promise<Slice<T>> {
    const qb = applyKeyset(this.em.createQueryBuilder(target, 'r'), filter, 'legalEntity');
    if (filter.legalEntity) qb.andWhere('r.legalEntity = :entity', { entity: filter.legalEntity });
    where?.(qb);
    const rows = await qb.getMany();
    return { items: rows.slice(0, filter.limit).map(map), hasMore: rows.length > filter.limit };
  }

  // --- postings ---------------------------------------------------------------------------

  /**
   * The legal entity, the posting period's status (locked shared until the transaction ends, so
   * the period cannot close under a posting) and whether the customer exists, in one round trip.
   */
  private async postingContext(
    legalEntity: string,
    period: string,
    customerExternalId?: string,
  ): Promise<PostingContext> {
    const [row] = await this.em.query<
      {
        entity: EntityRow | null;
        period_status: AccountingPeriodStatus | null;
        customer: boolean;
      }[]
    >(
      `select ${ENTITY_JSON} as entity, ${LOCKED_PERIOD_STATUS} as period_status,
              exists (select 1 from erp.customers c where c.legal_entity = $1 and c.external_id = $3) as customer`,
      [legalEntity, period, customerExternalId ?? ''],
    );
    return toPostingContext(row.entity, row.period_status, row.customer);
  }

  /** The checks every posting passes: entity, currency, open period, customer. */
  private assertPostable(
    context: PostingContext,
    request: { legalEntity: string; currency: string; date: string; customerExternalId?: string },
    period: string,
    datePointer = '/date',
  ): NonNullable<PostingContext['entity']> {
    const { legalEntity, currency } = request;
    const entity = context.entity;
    if (!entity)
      throw new ErpError(
        ErpErrorCode.LEGAL_ENTITY_UNKNOWN,
        `The ERP has no legal entity ${legalEntity}.`,
        { pointers: ['/legalEntity'] },
      );
    if (!entity.allowedCurrencies.includes(currency))
      throw currencyNotAllowed(legalEntity, currency, entity.allowedCurrencies);
    if (context.periodStatus === null)
      throw new ErpError(
        ErpErrorCode.PERIOD_UNKNOWN,
        `Legal entity ${legalEntity} has no accounting period ${period} for ${request.date}; nothing was posted.`,
        { pointers: [datePointer] },
      );
    if (context.periodStatus !== 'open') throw periodClosed(legalEntity, period, datePointer);
    if (request.customerExternalId !== undefined && !context.customerKnown)
      throw new ErpError(
        ErpErrorCode.CUSTOMER_UNKNOWN,
        `Legal entity ${legalEntity} has no customer ${request.customerExternalId}.`,
        { pointers: ['/customerExternalId'] },
      );
    return entity;
  }

  private defaultAccount(
    defaults: DefaultAccounts,
    role: keyof DefaultAccounts,
    legalEntity: string,
    why: string,
  ): string {
    const code = defaults[role];
    if (code === undefined)
      throw new ErpError(
        ErpErrorCode.DEFAULT_ACCOUNT_MISSING,
        `${why} needs the ${DEFAULT_ACCOUNT_ROLES[role].replace('_', ' ')} account of ${legalEntity}, and it has no default one (defaultAccounts.${role}).`,
      );
    return code;
  }

  /** Invoices by external id, with what is left due on them, locked against other applications. */
  private async invoicesDue(legalEntity: string, externalIds: string[]): Promise<InvoiceDue[]> {
    if (externalIds.length === 0) return [];
    return this.em.query<InvoiceDue[]>(
      `select external_id as "externalId", id, customer_external_id as "customerExternalId", currency,
              (total - amount_credited - amount_paid)::text as due
         from erp.ar_documents
        where legal_entity = $1 and kind = 'invoice' and external_id = any($2)
        for update`,
      [legalEntity, externalIds],
    );
  }

  private assertApplicable(
    invoice: InvoiceDue | undefined,
    request: { legalEntity: string; customerExternalId: string; currency: string },
    invoiceExternalId: string,
    amount: Decimal,
    pointer: string,
    what: string,
  ): InvoiceDue {
    if (!invoice)
      throw new ErpError(
        ErpErrorCode.INVOICE_UNKNOWN,
        `Legal entity ${request.legalEntity} has no posted invoice ${invoiceExternalId}.`,
        { pointers: [pointer] },
      );
    if (
      invoice.customerExternalId !== request.customerExternalId ||
      invoice.currency !== request.currency
    )
      throw new ErpError(
        ErpErrorCode.INVOICE_MISMATCH,
        `Invoice ${invoiceExternalId} is for customer ${invoice.customerExternalId} in ${invoice.currency}; ${what} for ${request.customerExternalId} in ${request.currency} cannot apply to it.`,
        { pointers: [pointer] },
      );
    if (amount.gt(invoice.due))
      throw new ErpError(
        ErpErrorCode.EXCEEDS_AMOUNT_DUE,
        `${what.charAt(0).toUpperCase()}${what.slice(1)} would apply ${roundMoney(amount, request.currency)} ${request.currency} to invoice ${invoiceExternalId}, which has ${roundMoney(invoice.due, request.currency)} ${request.currency} due.`,
        { pointers: [pointer] },
      );
    return invoice;
  }

  /** Writes a move and its lines (balanced: ledger.ts built them). Returns the move. */
  private async writeMove(
    move: Omit<MoveEntity, keyof VersionedRow | 'seq' | 'totalDebit' | 'totalCredit'>,
    lines: readonly LedgerLine[],
    now: Date,
  ): Promise<{ move: MoveEntity; lines: MoveLineEntity[] }> {
    assertBalanced(lines, move.currency);
    const total = (side: 'debit' | 'credit'): string =>
      lines.reduce((acc, l) => acc.plus(l[side]), ZERO).toFixed();
    const row = this.em.create(MoveEntity, {
      ...move,
      id: randomUUID(),
      totalDebit: total('debit'),
      totalCredit: total('credit'),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await this.em.insert(MoveEntity, row);
    const lineRows = lines.map((l, position) =>
      this.em.create(MoveLineEntity, {
        id: randomUUID(),
        moveId: row.id,
        position,
        legalEntity: move.legalEntity,
        period: move.period,
        currency: move.currency,
        accountCode: l.accountCode,
        debit: l.debit,
        credit: l.credit,
        memo: l.memo ?? null,
        customerExternalId: l.customerExternalId ?? null,
        dimensions: l.dimensions ?? null,
      }),
    );
    await this.em.insert(MoveLineEntity, lineRows);
    return { move: row, lines: lineRows };
  }

  /**
   * Posts an invoice in two round trips and no transaction of its own: one read of everything it
   * refers to, then one statement that writes the document, its lines, its move and the move's
   * lines — all or nothing — under a shared lock on its period, re-checked open (a period closed
   * since the read takes nothing). The document's row claims its external id (ON CONFLICT DO
   * NOTHING): of two concurrent postings of one external id the second waits for the first and
   * then answers with it. A credit memo also takes what it credits off its invoice, so it runs in
   * a transaction with that update.
   */
  async postArDocument(input: ArDocumentInput): Promise<Posted<ArDocument>> {
    return input.kind === 'credit_memo'
      ? this.tx.run(() => this.writeArDocument(input))
      : this.writeArDocument(input);
  }

  private async writeArDocument(input: ArDocumentInput): Promise<Posted<ArDocument>> {
    const { legalEntity, kind, externalId } = input;
    const fingerprint = arDocumentFingerprint(input);
    const period = periodOf(input.date);
    const refs = await this.arReferences(input, period);
    if (refs.existing) return this.replayArDocument(input, fingerprint);
    const entity = this.assertPostable(refs.context, input, period);
    const unknown = input.lines.flatMap((l, i) =>
      refs.items.some((item) => item.code === l.itemCode) ? [] : [{ i, code: l.itemCode }],
    );
    if (unknown.length)
      throw new ErpError(
        ErpErrorCode.ITEM_UNKNOWN,
        `Legal entity ${legalEntity} has no item ${[...new Set(unknown.map((u) => u.code))].join(', ')}.`,
        { pointers: unknown.map((u) => `/lines/${u.i}/itemCode`) },
      );
    const what = kind === 'invoice' ? 'An invoice' : 'A credit memo';
    const receivable = this.defaultAccount(entity.defaults, 'receivable', legalEntity, what);
    const lines = input.lines.map((l, i) => {
      const item = refs.items.find((it) => it.code === l.itemCode) as ArItemRef;
      return {
        ...l,
        ...revenueAccountFor(
          l,
          i,
          {
            code: item.code,
            revenueAccount: item.revenueAccount,
            ...(item.deferredRevenueAccount === null
              ? {}
              : { deferredRevenueAccount: item.deferredRevenueAccount }),
          },
          period,
          entity.defaults,
        ),
      };
    });
    const subtotal = lines.reduce((acc, l) => acc.plus(l.amount), ZERO);
    const tax = lines.reduce((acc, l) => acc.plus(l.taxAmount), ZERO);
    const total = subtotal.plus(tax);
    const taxPayable = tax.isZero()
      ? undefined
      : this.defaultAccount(entity.defaults, 'taxPayable', legalEntity, `${what} with tax`);
    const invoice =
      kind === 'credit_memo'
        ? this.assertApplicable(
            refs.invoice ?? undefined,
            input,
            input.invoiceExternalId ?? '',
            total,
            '/invoiceExternalId',
            'a credit memo',
          )
        : undefined;
    const ledger = arDocumentLedger(
      { kind, currency: input.currency, customerExternalId: input.customerExternalId, lines },
      { receivable, ...(taxPayable === undefined ? {} : { taxPayable }) },
    );
    assertBalanced(ledger, input.currency);

    const now = new Date();
    const documentId = randomUUID();
    const moveId = randomUUID();
    const docLines = lines.map((l, position) => ({
      id: randomUUID(),
      position,
      item_code: l.itemCode,
      description: l.description ?? null,
      quantity: l.quantity,
      amount: l.amount,
      tax_amount: l.taxAmount,
      tax_code: l.taxCode ?? null,
      service_start: l.servicePeriod?.start ?? null,
      service_end: l.servicePeriod?.end ?? null,
      account_code: l.accountCode,
      deferred: l.deferred,
    }));
    const moveLines = ledger.map((l, position) => ({
      id: randomUUID(),
      position,
      account_code: l.accountCode,
      debit: l.debit,
      credit: l.credit,
      memo: l.memo ?? null,
      customer_external_id: l.customerExternalId ?? null,
    }));
    const side = (s: 'debit' | 'credit'): string =>
      ledger.reduce((acc, l) => acc.plus(l[s]), ZERO).toFixed();
    const [written] = await this.em.query<
      { doc_seq: string | null; move_seq: string | null; period_open: boolean }[]
    >(
      `with open_period as (
           select 1 from erp.periods where legal_entity = $3 and period = $11 and status = 'open' for share
         ), doc as (
           insert into erp.ar_documents (id, version, created_at, updated_at, legal_entity, kind, external_id,
                  reference, customer_external_id, invoice_external_id, date, due_date, period, currency, memo,
                  subtotal, tax_total, total, amount_credited, amount_paid, fingerprint, move_id)
           select $1, 1, $2, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::date, $11, $12, $13, $14, $15, $16, 0, 0, $17, $18
            where exists (select 1 from open_period)
           on conflict (legal_entity, kind, external_id) do nothing
           returning seq
         ), doc_lines as (
           insert into erp.ar_document_lines (id, document_id, position, item_code, description, quantity, amount,
                  tax_amount, tax_code, service_start, service_end, account_code, deferred)
           select l.id, $1, l.position, l.item_code, l.description, l.quantity, l.amount, l.tax_amount, l.tax_code,
                  l.service_start, l.service_end, l.account_code, l.deferred
             from jsonb_to_recordset($19::jsonb) as l(id uuid, position int, item_code varchar, description varchar,
                  quantity numeric, amount numeric, tax_amount numeric, tax_code varchar, service_start date,
                  service_end date, account_code varchar, deferred boolean)
            where exists (select 1 from doc)
         ), move as (
           insert into erp.moves (id, version, created_at, updated_at, legal_entity, source, external_id, date, period,
                  currency, memo, total_debit, total_credit, fingerprint)
           select $18, 1, $2, $2, $3, $4, $5, $9::date, $11, $12, $13, $20, $21, null
            where exists (select 1 from doc)
           returning seq
         ), move_lines as (
           insert into erp.move_lines (id, move_id, position, legal_entity, period, currency, account_code, debit,
                  credit, memo, customer_external_id, dimensions)
           select m.id, $18, m.position, $3, $11, $12, m.account_code, m.debit, m.credit, m.memo,
                  m.customer_external_id, null
             from jsonb_to_recordset($22::jsonb) as m(id uuid, position int, account_code varchar, debit numeric,
                  credit numeric, memo varchar, customer_external_id varchar)
            where exists (select 1 from doc)
         )
         select (select seq::text from doc) as doc_seq, (select seq::text from move) as move_seq,
                exists (select 1 from open_period) as period_open`,
      [
        documentId,
        now,
        legalEntity,
        kind,
        externalId,
        input.reference ?? null,
        input.customerExternalId,
        input.invoiceExternalId ?? null,
        input.date,
        input.dueDate ?? null,
        period,
        input.currency,
        input.memo ?? null,
        subtotal.toFixed(),
        tax.toFixed(),
        total.toFixed(),
        fingerprint,
        moveId,
        JSON.stringify(docLines),
        side('debit'),
        side('credit'),
        JSON.stringify(moveLines),
      ],
    );
    if (written.doc_seq === null || written.move_seq === null) {
      // A concurrent posting of the same external id committed first: answer as a retry would.
      if (written.period_open) return this.replayArDocument(input, fingerprint);
      // The period closed since it was read; the posting, unless it was there before, is refused.
      const replayed = await this.em.existsBy(ArDocumentEntity, {
        legalEntity,
        kind,
        externalId,
      });
      if (replayed) return this.replayArDocument(input, fingerprint);
      throw periodClosed(legalEntity, period);
    }
    if (invoice) await this.applyToInvoice(invoice, 'amount_credited', total, now);
    const money = (v: Decimal | string | number): string => roundMoney(v, input.currency);
    return {
      record: {
        ...input,
        id: documentId,
        number: numbered(DOCUMENT_PREFIX[kind], legalEntity, written.doc_seq),
        period,
        status: 'posted',
        lines: lines.map((l) => ({
          ...l,
          quantity: new MoneyDecimal(l.quantity).toFixed(),
          amount: money(l.amount),
          taxAmount: money(l.taxAmount),
        })),
        subtotal: money(subtotal),
        taxTotal: money(tax),
        total: money(total),
        amountCredited: money(0),
        amountPaid: money(0),
        amountDue: money(kind === 'invoice' ? total : 0),
        ...(kind === 'invoice' ? { paymentStatus: 'unpaid' as const } : {}),
        ledger,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      created: true,
    };
  }

  /** The document already posted under the external id: the same content answers with it. */
  private async replayArDocument(
    input: ArDocumentInput,
    fingerprint: string,
  ): Promise<Posted<ArDocument>> {
    const { legalEntity, kind, externalId } = input;
    const existing = await this.em.findOneByOrFail(ArDocumentEntity, {
      legalEntity,
      kind,
      externalId,
    });
    if (existing.fingerprint !== fingerprint)
      throw externalIdConflict(kind === 'invoice' ? 'Invoice' : 'Credit memo', externalId);
    return { record: (await this.loadArDocuments([existing]))[0], created: false };
  }

  /**
   * Everything an AR posting refers to, in one round trip: the document already under the
   * external id, the entity, the period, the customer, the items, and for a credit memo its
   * invoice with what is due on it. Nothing is locked (a read-only statement needs no WAL flush):
   * the write re-checks the period under its lock.
   */
  private async arReferences(
    input: ArDocumentInput,
    period: string,
  ): Promise<{
    existing: boolean;
    context: PostingContext;
    items: ArItemRef[];
    invoice: InvoiceDue | null;
  }> {
    const [row] = await this.em.query<
      {
        existing: boolean;
        entity: EntityRow | null;
        period_status: AccountingPeriodStatus | null;
        customer: boolean;
        items: ArItemRef[];
        invoice: InvoiceDue | null;
      }[]
    >(
      `select
         exists (select 1 from erp.ar_documents d
                  where d.legal_entity = $1 and d.kind = $4 and d.external_id = $5) as existing,
         ${ENTITY_JSON} as entity,
         ${PERIOD_STATUS} as period_status,
         exists (select 1 from erp.customers c where c.legal_entity = $1 and c.external_id = $3) as customer,
         (select coalesce(json_agg(json_build_object('code', i.code, 'revenueAccount', i.revenue_account,
                   'deferredRevenueAccount', i.deferred_revenue_account)), '[]'::json)
            from erp.items i where i.legal_entity = $1 and i.code = any($6)) as items,
         (select json_build_object('externalId', v.external_id, 'id', v.id,
                   'customerExternalId', v.customer_external_id, 'currency', v.currency,
                   'due', (v.total - v.amount_credited - v.amount_paid)::text)
            from erp.ar_documents v
           where v.legal_entity = $1 and v.kind = 'invoice' and v.external_id = $7) as invoice`,
      [
        input.legalEntity,
        period,
        input.customerExternalId,
        input.kind,
        input.externalId,
        [...new Set(input.lines.map((l) => l.itemCode))],
        input.invoiceExternalId ?? '',
      ],
    );
    return {
      existing: row.existing,
      context: toPostingContext(row.entity, row.period_status, row.customer),
      items: row.items,
      invoice: row.invoice,
    };
  }

  /** Adds to what is credited or paid on an invoice, never past its total. */
  private async applyToInvoice(
    invoice: InvoiceDue,
    column: 'amount_credited' | 'amount_paid',
    amount: Decimal,
    now: Date,
  ): Promise<void> {
    // Re-checked on the row itself: a concurrent application may have taken what was due since it
    // was read. The CHECK on the table holds the line as well.
    const [, affected] = await this.em.query<[unknown, number]>(
      `update erp.ar_documents set ${column} = ${column} + $2, version = version + 1, updated_at = $3
        where id = $1 and total - amount_credited - amount_paid >= $2`,
      [invoice.id, amount.toFixed(), now],
    );
    if (affected !== 1)
      throw new ErpError(
        ErpErrorCode.EXCEEDS_AMOUNT_DUE,
        `Invoice ${invoice.externalId} no longer has ${roundMoney(amount, invoice.currency)} ${invoice.currency} due; nothing was posted.`,
      );
  }

  private async loadArDocuments(rows: readonly ArDocumentEntity[]): Promise<ArDocument[]> {
    if (rows.length === 0) return [];
    const [lines, moveLines] = await Promise.all([
      this.em.findBy(ArDocumentLineEntity, { documentId: In(rows.map((r) => r.id)) }),
      this.em.findBy(MoveLineEntity, { moveId: In(rows.map((r) => r.moveId)) }),
    ]);
    return rows.map((r) =>
      toArDocument(
        r,
        lines.filter((l) => l.documentId === r.id),
        moveLines.filter((l) => l.moveId === r.moveId),
      ),
    );
  }

  async getArDocument(
    legalEntity: string,
    kind: ArDocumentKind,
    externalId: string,
  ): Promise<ArDocument | undefined> {
    const row = await this.em.findOneBy(ArDocumentEntity, { legalEntity, kind, externalId });
    return row ? (await this.loadArDocuments([row]))[0] : undefined;
  }

  async listArDocuments(filter: ArDocumentFilter): Promise<Slice<ArDocument>> {
    const slice = await this.page(
      ArDocumentEntity,
      filter,
      (r) => r,
      (qb) => {
        qb.andWhere('r.kind = :kind', { kind: filter.kind });
        if (filter.customerExternalId)
          qb.andWhere('r.customerExternalId = :customer', { customer: filter.customerExternalId });
        if (filter.period) qb.andWhere('r.period = :period', { period: filter.period });
        if (filter.paymentStatus === 'paid')
          qb.andWhere('r.amountCredited + r.amountPaid = r.total');
        if (filter.paymentStatus === 'unpaid')
          qb.andWhere('r.amountCredited = 0 AND r.amountPaid = 0');
        if (filter.paymentStatus === 'partially_paid')
          qb.andWhere(
            '(r.amountCredited > 0 OR r.amountPaid > 0) AND r.amountCredited + r.amountPaid < r.total',
          );
      },
    );
    return { items: await this.loadArDocuments(slice.items), hasMore: slice.hasMore };
  }

  async postPayment(input: PaymentInput): Promise<Posted<ErpPayment>> {
    return this.tx.run(async () => {
      const { legalEntity, externalId } = input;
      await this.lock(`payment:${legalEntity}:${externalId}`);
      const fingerprint = paymentFingerprint(input);
      const existing = await this.em.findOneBy(PaymentEntity, { legalEntity, externalId });
      if (existing) {
        if (existing.fingerprint !== fingerprint) throw externalIdConflict('Payment', externalId);
        return { record: (await this.loadPayments([existing]))[0], created: false };
      }
      const period = periodOf(input.date);
      const context = await this.postingContext(legalEntity, period, input.customerExternalId);
      const entity = this.assertPostable(context, input, period);
      const receivable = this.defaultAccount(
        entity.defaults,
        'receivable',
        legalEntity,
        'A payment',
      );
      const cashAccount =
        input.cashAccount ?? this.defaultAccount(entity.defaults, 'cash', legalEntity, 'A payment');
      if (input.cashAccount !== undefined)
        await this.assertAccounts(legalEntity, [
          { code: input.cashAccount, type: 'cash', pointer: '/cashAccount' },
        ]);
      const invoices = await this.invoicesDue(
        legalEntity,
        input.applications.map((a) => a.invoiceExternalId),
      );
      const applied = input.applications.map((a, i) => ({
        invoice: this.assertApplicable(
          invoices.find((inv) => inv.externalId === a.invoiceExternalId),
          input,
          a.invoiceExternalId,
          new MoneyDecimal(a.amount),
          `/applications/${i}/invoiceExternalId`,
          'a payment',
        ),
        amount: new MoneyDecimal(a.amount),
      }));
      const ledger = paymentLedger({
        currency: input.currency,
        amount: input.amount,
        customerExternalId: input.customerExternalId,
        cashAccount,
        receivable,
      });
      const now = new Date();
      const { move, lines: moveLines } = await this.writeMove(
        {
          legalEntity,
          source: 'payment',
          externalId,
          date: input.date,
          period,
          currency: input.currency,
          memo: input.memo ?? null,
          fingerprint: null,
        },
        ledger,
        now,
      );
      const payment = this.em.create(PaymentEntity, {
        id: randomUUID(),
        legalEntity,
        externalId,
        customerExternalId: input.customerExternalId,
        date: input.date,
        period,
        currency: input.currency,
        amount: input.amount,
        appliedAmount: applied.reduce((acc, a) => acc.plus(a.amount), ZERO).toFixed(),
        cashAccount,
        memo: input.memo ?? null,
        fingerprint,
        moveId: move.id,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await this.em.insert(PaymentEntity, payment);
      const applicationRows = input.applications.map((a, position) =>
        this.em.create(PaymentApplicationEntity, {
          id: randomUUID(),
          paymentId: payment.id,
          position,
          invoiceExternalId: a.invoiceExternalId,
          amount: a.amount,
        }),
      );
      if (applicationRows.length) await this.em.insert(PaymentApplicationEntity, applicationRows);
      for (const a of applied) await this.applyToInvoice(a.invoice, 'amount_paid', a.amount, now);
      return { record: toPayment(payment, applicationRows, moveLines), created: true };
    });
  }

  private async loadPayments(rows: readonly PaymentEntity[]): Promise<ErpPayment[]> {
    if (rows.length === 0) return [];
    const [applications, moveLines] = await Promise.all([
      this.em.findBy(PaymentApplicationEntity, { paymentId: In(rows.map((r) => r.id)) }),
      this.em.findBy(MoveLineEntity, { moveId: In(rows.map((r) => r.moveId)) }),
    ]);
    return rows.map((r) =>
      toPayment(
        r,
        applications.filter((a) => a.paymentId === r.id),
        moveLines.filter((l) => l.moveId === r.moveId),
      ),
    );
  }

  async getPayment(legalEntity: string, externalId: string): Promise<ErpPayment | undefined> {
    const row = await this.em.findOneBy(PaymentEntity, { legalEntity, externalId });
    return row ? (await this.loadPayments([row]))[0] : undefined;
  }

  async listPayments(filter: DocumentFilter): Promise<Slice<ErpPayment>> {
    const slice = await this.page(
      PaymentEntity,
      filter,
      (r) => r,
      (qb) => {
        if (filter.customerExternalId)
          qb.andWhere('r.customerExternalId = :customer', { customer: filter.customerExternalId });
        if (filter.period) qb.andWhere('r.period = :period', { period: filter.period });
      },
    );
    return { items: await this.loadPayments(slice.items), hasMore: slice.hasMore };
  }

  async postJournalEntry(input: JournalEntryInput): Promise<Posted<ErpJournalEntry>> {
    return this.tx.run(async () => {
      const { legalEntity, externalId } = input;
      await this.lock(`journal:${legalEntity}:${externalId}`);
      const fingerprint = journalEntryFingerprint(input);
      const existing = await this.em.findOneBy(MoveEntity, {
        legalEntity,
        source: 'journal',
        externalId,
      });
      if (existing) {
        if (existing.fingerprint !== fingerprint)
          throw externalIdConflict('Journal entry', externalId);
        return {
          record: (await this.loadJournalEntries([existing]))[0],
          created: false,
        };
      }
      const context = await this.postingContext(legalEntity, input.period);
      this.assertPostable(context, input, input.period);
      const codes = [...new Set(input.lines.map((l) => l.accountCode))];
      const accounts = await this.em.findBy(AccountEntity, { legalEntity, code: In(codes) });
      const unknown = input.lines.flatMap((l, i) =>
        accounts.some((a) => a.code === l.accountCode) ? [] : [{ i, code: l.accountCode }],
      );
      if (unknown.length)
        throw new ErpError(
          ErpErrorCode.ACCOUNT_UNKNOWN,
          `The chart of ${legalEntity} has no account ${[...new Set(unknown.map((u) => u.code))].join(', ')}.`,
          { pointers: unknown.map((u) => `/lines/${u.i}/accountCode`) },
        );
      // Lines are kept as given (one per request line), each balanced by the others.
      const lines: LedgerLine[] = input.lines.map((l) => ({
        accountCode: l.accountCode,
        debit: new MoneyDecimal(l.debit ?? 0).isZero()
          ? '0'
          : roundMoney(l.debit ?? 0, input.currency),
        credit: new MoneyDecimal(l.credit ?? 0).isZero()
          ? '0'
          : roundMoney(l.credit ?? 0, input.currency),
        ...(l.memo === undefined ? {} : { memo: l.memo }),
        ...(l.dimensions === undefined ? {} : { dimensions: l.dimensions }),
      }));
      const problems = journalBalanceProblems(lines, input.currency);
      if (problems.length)
        throw new ErpError(
          ErpErrorCode.JOURNAL_UNBALANCED,
          `The journal entry does not balance: ${problems.join('; ')}. Nothing was posted.`,
          { pointers: ['/lines'] },
        );
      const { move, lines: moveLines } = await this.writeMove(
        {
          legalEntity,
          source: 'journal',
          externalId,
          date: input.date,
          period: input.period,
          currency: input.currency,
          memo: input.memo,
          fingerprint,
        },
        lines,
        new Date(),
      );
      return { record: toJournalEntry(move, moveLines), created: true };
    });
  }

  private async loadJournalEntries(rows: readonly MoveEntity[]): Promise<ErpJournalEntry[]> {
    if (rows.length === 0) return [];
    const lines = await this.em.findBy(MoveLineEntity, { moveId: In(rows.map((r) => r.id)) });
    return rows.map((r) =>
      toJournalEntry(
        r,
        lines.filter((l) => l.moveId === r.id),
      ),
    );
  }

  async getJournalEntry(
    legalEntity: string,
    externalId: string,
  ): Promise<ErpJournalEntry | undefined> {
    const row = await this.em.findOneBy(MoveEntity, { legalEntity, source: 'journal', externalId });
    return row ? (await this.loadJournalEntries([row]))[0] : undefined;
  }

  async listJournalEntries(filter: DocumentFilter): Promise<Slice<ErpJournalEntry>> {
    const slice = await this.page(
      MoveEntity,
      filter,
      (r) => r,
      (qb) => {
        qb.andWhere("r.source = 'journal'");
        if (filter.period) qb.andWhere('r.period = :period', { period: filter.period });
      },
    );
    return { items: await this.loadJournalEntries(slice.items), hasMore: slice.hasMore };
  }

  async trialBalance(legalEntity: string, period: string): Promise<TrialBalance> {
    await this.entityRow(legalEntity);
    const rows = await this.em.query<
      {
        currency: string;
        code: string;
        name: string;
        type: GlAccountType;
        opening: string;
        debit: string;
        credit: string;
      }[]
    >(
      `select l.currency, l.account_code as code, a.name, a.type,
              sum(case when l.period < $2 then l.debit - l.credit else 0 end)::text as opening,
              sum(case when l.period = $2 then l.debit else 0 end)::text as debit,
              sum(case when l.period = $2 then l.credit else 0 end)::text as credit
         from erp.move_lines l
         join erp.accounts a on a.legal_entity = l.legal_entity and a.code = l.account_code
        where l.legal_entity = $1 and l.period <= $2
        group by l.currency, l.account_code, a.name, a.type
        order by l.currency, l.account_code`,
      [legalEntity, period],
    );
    const sections = new Map<string, TrialBalanceSection>();
    const totals = new Map<
      string,
      { debit: Decimal; credit: Decimal; opening: Decimal; closing: Decimal }
    >();
    for (const r of rows) {
      const money = (v: Decimal | string): string => roundMoney(v, r.currency);
      const closing = new MoneyDecimal(r.opening).plus(r.debit).minus(r.credit);
      let section = sections.get(r.currency);
      let sum = totals.get(r.currency);
      if (!section || !sum) {
        section = {
          currency: r.currency,
          rows: [],
          totalDebit: '',
          totalCredit: '',
          totalOpeningBalance: '',
          totalClosingBalance: '',
        };
        sum = { debit: ZERO, credit: ZERO, opening: ZERO, closing: ZERO };
        sections.set(r.currency, section);
        totals.set(r.currency, sum);
      }
      section.rows.push({
        accountCode: r.code,
        name: r.name,
        type: r.type,
        openingBalance: money(r.opening),
        debit: money(r.debit),
        credit: money(r.credit),
        closingBalance: money(closing),
      });
      sum.debit = sum.debit.plus(r.debit);
      sum.credit = sum.credit.plus(r.credit);
      sum.opening = sum.opening.plus(r.opening);
      sum.closing = sum.closing.plus(closing);
    }
    for (const [currency, section] of sections) {
      const sum = totals.get(currency);
      if (!sum) continue;
      const money = (v: Decimal): string => roundMoney(v, currency);
      section.totalDebit = money(sum.debit);
      section.totalCredit = money(sum.credit);
      section.totalOpeningBalance = money(sum.opening);
      section.totalClosingBalance = money(sum.closing);
    }
    return { legalEntity, period, sections: [...sections.values()] };
  }
}

function periodClosed(legalEntity: string, period: string, pointer = '/date'): ErpError {
  return new ErpError(
    ErpErrorCode.PERIOD_CLOSED,
    `The accounting period ${period} of ${legalEntity} is closed; nothing was posted. Date the posting in an open period.`,
    { pointers: [pointer] },
  );
}

function currencyNotAllowed(legalEntity: string, currency: string, allowed: string[]): ErpError {
  return new ErpError(
    ErpErrorCode.CURRENCY_NOT_ALLOWED,
    `Legal entity ${legalEntity} does not allow ${currency} (it allows ${allowed.join(', ')}).`,
    { pointers: ['/currency'] },
  );
}
