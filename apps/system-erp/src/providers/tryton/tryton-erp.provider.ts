import { Logger } from '@nestjs/common';
import {
  addDays,
  type AccountingPeriodStatus,
  type GlAccountType,
  MoneyDecimal,
  periodEnd,
  periodOf,
  periodStart,
  roundMoney,
} from '@revgate/canonical';
import { ApiError, PlatformErrorCode, staleWrite } from '@revgate/platform';
import { applyKeyset, TransactionHost } from '@revgate/persistence';
import { Budget, BudgetExhaustedError } from '@revgate/resilience';
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
  type LegalEntityInput,
  type ListWindow,
  type PaymentInput,
  type PaymentStatus,
  type PeriodFilter,
  type Posted,
  type Slice,
  type TrialBalance,
  type Upserted,
  type WriteGuard,
} from '../erp-provider.port';
import { arDocumentFingerprint } from '../fingerprint';
import { revenueAccountFor } from '../posting-rules';
import {
  identifierOf,
  kindOf,
  ledgerLineOf,
  lineDescription,
  readDetails,
  registrationOf,
  taxLinesOf,
  termDays,
  termsOf,
  typeOf,
  writeDetails,
} from './tryton-erp.mapping';
import { toErpError, TrytonErpError, type TrytonErpErrorCode } from './tryton-erp-errors';
import { keyOf, keysetSlice, scopedCode, uuidOf, versionOf, windowStart } from './tryton-ids';
import { TrytonLedger } from './tryton-ledger';
import type {
  TrytonAccount,
  TrytonCompany,
  TrytonInvoice,
  TrytonInvoiceInput,
  TrytonInvoiceKind,
  TrytonMove,
  TrytonParty,
  TrytonPayment,
  TrytonPeriod,
  TrytonProduct,
  TrytonStamps,
} from './tryton-ledger.types';
import { TrytonRpcError } from './tryton-rpc.errors';
import { TrytonLegalEntityEntity } from './tryton.entities';

const MODEL = {
  company: 'company.company',
  period: 'account.period',
  account: 'account.account',
  party: 'party.party',
  product: 'product.product',
  invoice: 'account.invoice',
  move: 'account.move',
} as const;

const TRYTON_KIND: Readonly<Record<ArDocumentKind, TrytonInvoiceKind>> = {
  invoice: 'invoice',
  credit_memo: 'credit_note',
};

/** A Tryton refusal as it reads for one request: the API's code and the field at fault. */
type Refusals = Partial<Record<TrytonErpErrorCode, { code?: ErpErrorCode; pointer?: string }>>;

/** A posting's refusals: in a body, what is missing is "unknown" (422), not "not found" (404). */
const POSTING_REFUSALS: Refusals = {
  ERP_LEGAL_ENTITY_UNKNOWN: { pointer: '/legalEntity' },
  ERP_CUSTOMER_NOT_FOUND: { code: ErpErrorCode.CUSTOMER_UNKNOWN, pointer: '/customerExternalId' },
  ERP_ITEM_NOT_FOUND: { code: ErpErrorCode.ITEM_UNKNOWN, pointer: '/lines' },
  ERP_ACCOUNT_NOT_FOUND: { code: ErpErrorCode.ACCOUNT_UNKNOWN },
  ERP_INVOICE_NOT_FOUND: { code: ErpErrorCode.INVOICE_UNKNOWN },
  ERP_PERIOD_CLOSED: { pointer: '/date' },
  ERP_PERIOD_UNKNOWN: { pointer: '/date' },
  ERP_CURRENCY_NOT_ALLOWED: { pointer: '/currency' },
  ERP_EXTERNAL_ID_CONFLICT: { pointer: '/externalId' },
};

const ERP_CODES = new Map<string, ErpErrorCode>(Object.values(ErpErrorCode).map((c) => [c, c]));

const stampsOf = (model: string, id: number, s: TrytonStamps) => ({
  id: uuidOf(model, id),
  version: versionOf(s.updatedAt),
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

const ZERO = new MoneyDecimal(0);

export interface TrytonErpProviderOptions {
  /** Calls in flight to Tryton from this process. */
  readonly concurrency: number;
  /** How long a call may wait for its turn (then 429 ERP_CONCURRENCY_LIMITED). */
  readonly maxWaitMs: number;
  readonly logger?: Pick<Logger, 'warn' | 'log'>;
}

/** A mapped legal entity: its row in the app's schema and its Tryton company. */
interface Entity {
  row: TrytonLegalEntityEntity;
  company: TrytonCompany;
}

/**
 * The ERP port on Tryton 6.0 (TrytonLedger over JSON-RPC): it translates, and decides nothing the
 * sandbox does not. A legal entity is a Tryton company mapped once with PUT /legal-entities (its
 * tax registration, country and default accounts are kept in the app's schema: Tryton has no field
 * for them); customers and items are Tryton parties and products coded `<entity>:<key>`; periods,
 * accounts, postings and balances are Tryton's. Every posting is a find-or-create on its external
 * id, under an advisory lock of the app's database (Tryton has no unique reference: two processes
 * must not create the same one at once), with everything Tryton would refuse checked first so that
 * a refusal leaves nothing behind. Tryton's refusals become canonical ErpErrors; what Tryton cannot
 * do is refused with ERP_NOT_SUPPORTED. Ids and versions: see tryton-ids.ts.
 */
export class TrytonErpProvider implements ErpProvider {
  readonly name = 'tryton';
  private readonly budget: Budget;

  constructor(
    readonly ledger: TrytonLedger,
    private readonly tx: TransactionHost,
    options: TrytonErpProviderOptions,
  ) {
    this.budget = new Budget({
      concurrency: options.concurrency,
      ratePerSecond: Infinity,
      maxWaitMs: options.maxWaitMs,
    });
  }

  /** Ends the connector's Tryton session when the app stops. */
  async onApplicationShutdown(): Promise<void> {
    await this.ledger.client.logout().catch(() => undefined);
  }

  // --- plumbing ------------------------------------------------------------------------------

  /** Runs `work` in this process's Tryton budget, with Tryton's refusals in canonical terms. */
  private async call<T>(work: () => Promise<T>, refusals: Refusals = {}): Promise<T> {
    let release: () => void;
    try {
      release = await this.budget.acquire();
    } catch (error) {
      if (error instanceof BudgetExhaustedError)
        throw new ErpError(
          ErpErrorCode.CONCURRENCY_LIMITED,
          `The Tryton connector has ${String(this.budget.snapshot().queued)} calls waiting for their turn; nothing was done. Retry after Retry-After.`,
          { retryAfterSeconds: error.retryAfterSeconds },
        );
      throw error;
    }
    try {
      return await work();
    } catch (error) {
      // The ledger words every failure of Tryton; a raw one (a bug) is worded here all the same.
      if (error instanceof TrytonErpError) throw canonical(error, refusals);
      if (error instanceof TrytonRpcError) throw canonical(toErpError(error, 'Tryton'), refusals);
      throw error;
    } finally {
      release();
    }
  }

  /**
   * A write under an advisory lock of the app's database on its key, held until it ends: the
   * find-or-create of one key runs once at a time across every process of the app.
   */
  private write<T>(key: string, work: () => Promise<T>, refusals?: Refusals): Promise<T> {
    return this.call(
      () =>
        this.tx.run(async () => {
          await this.tx.manager.query('select pg_advisory_xact_lock(hashtext($1))', [
            `revgate:erp:tryton:${key}`,
          ]);
          return work();
        }),
      refusals,
    );
  }

  /** The mapped legal entity, or undefined (no row, or Tryton has no such company any more). */
  private async entity(code: string): Promise<Entity | undefined> {
    const row = await this.tx.manager.findOneBy(TrytonLegalEntityEntity, { code });
    if (!row) return undefined;
    try {
      return { row, company: await this.ledger.company(code) };
    } catch (error) {
      if (error instanceof TrytonErpError && error.code === 'ERP_LEGAL_ENTITY_UNKNOWN')
        return undefined;
      throw error;
    }
  }

  /** A lookup in a mapped legal entity (none in one that is not mapped). */
  private lookup<T>(
    legalEntity: string,
    read: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return this.call(async () => ((await this.entity(legalEntity)) ? read() : undefined));
  }

  /** The mapped legal entity named by a path: 404 when there is none. */
  private async pathEntity(code: string): Promise<Entity> {
    const found = await this.entity(code);
    if (!found)
      throw new ErpError(
        ErpErrorCode.LEGAL_ENTITY_NOT_FOUND,
        `Legal entity ${code} does not exist.`,
      );
    return found;
  }

  /** The mapped legal entity named by a posting's body: 422 when there is none. */
  private async bodyEntity(code: string): Promise<Entity> {
    const found = await this.entity(code);
    if (!found)
      throw new ErpError(
        ErpErrorCode.LEGAL_ENTITY_UNKNOWN,
        `The ERP has no legal entity ${code}.`,
        { pointers: ['/legalEntity'] },
      );
    return found;
  }

  /** Mapped legal entities a list covers: the one filtered on, within the caller's claim. */
  private async listedEntities(filter: EntityScopedFilter): Promise<string[]> {
    const rows = await this.tx.manager.find(TrytonLegalEntityEntity, {
      ...(filter.legalEntity === undefined ? {} : { where: { code: filter.legalEntity } }),
      order: { code: 'ASC' },
    });
    return rows
      .map((r) => r.code)
      .filter((code) => !filter.legalEntities || filter.legalEntities.includes(code));
  }

  private async forEachEntity<T extends { id: string; updatedAt: Date }>(
    filter: EntityScopedFilter,
    read: (legalEntity: string) => Promise<T[]>,
  ): Promise<Slice<T>> {
    const records: T[] = [];
    for (const code of await this.listedEntities(filter)) records.push(...(await read(code)));
    return keysetSlice(records, filter);
  }

  private async defaults(entity: Entity): Promise<DefaultAccounts> {
    const receivable = await this.ledger.defaultReceivableCode(entity.row.code);
    const { row } = entity;
    return {
      ...(receivable === undefined ? {} : { receivable }),
      ...(row.defaultTaxPayable === null ? {} : { taxPayable: row.defaultTaxPayable }),
      ...(row.defaultCash === null ? {} : { cash: row.defaultCash }),
      ...(row.defaultDeferredRevenue === null
        ? {}
        : { deferredRevenue: row.defaultDeferredRevenue }),
    };
  }

  // --- legal entities ------------------------------------------------------------------------

  private async toLegalEntity(entity: Entity): Promise<ErpLegalEntity> {
    const { row, company } = entity;
    return {
      id: row.id,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      code: row.code,
      name: company.name,
      functionalCurrency: company.currency,
      allowedCurrencies: [company.currency],
      taxRegistration: { ...row.taxRegistration },
      country: row.country,
      defaultAccounts: await this.defaults(entity),
    };
  }

  async upsertLegalEntity(
    input: LegalEntityInput,
    guard: WriteGuard,
  ): Promise<Upserted<ErpLegalEntity>> {
    return this.write(`legal-entity:${input.code}`, async () => {
      let company: TrytonCompany;
      try {
        company = await this.ledger.company(input.code);
      } catch (error) {
        if (error instanceof TrytonErpError && error.code === 'ERP_LEGAL_ENTITY_UNKNOWN')
          throw new ErpError(
            ErpErrorCode.NOT_SUPPORTED,
            `Tryton has no company whose party code is ${input.code}. The API maps Tryton's companies, it does not create them: set the company up in Tryton (its chart of accounts and fiscal years), then map it here.`,
          );
        throw error;
      }
      if (input.functionalCurrency !== company.currency)
        throw new ErpError(
          ErpErrorCode.FIELD_IMMUTABLE,
          `The functional currency of ${input.code} is ${company.currency} in Tryton; the currency its books are kept in cannot change.`,
          { pointers: ['/functionalCurrency'] },
        );
      const foreign = input.allowedCurrencies.filter((c) => c !== company.currency);
      if (foreign.length > 0)
        throw new ErpError(
          ErpErrorCode.NOT_SUPPORTED,
          `The Tryton connector posts in the company's currency (${company.currency}) only; ${foreign.join(', ')} would need Tryton's second-currency lines and rates, which it does not do.`,
          { pointers: ['/allowedCurrencies'] },
        );
      const d = input.defaultAccounts;
      const accounts = await this.ledger.accounts(input.code);
      const problems = (Object.keys(DEFAULT_ACCOUNT_ROLES) as (keyof DefaultAccounts)[]).flatMap(
        (role) => {
          const code = d[role];
          return code === undefined
            ? []
            : [{ code, type: DEFAULT_ACCOUNT_ROLES[role], pointer: `/defaultAccounts/${role}` }];
        },
      );
      for (const wanted of problems) assertAccountType(accounts, input.code, wanted);

      const existing = await this.tx.manager.findOneBy(TrytonLegalEntityEntity, {
        code: input.code,
      });
      assertGuard(guard, existing, 'legal entity');
      const renamed = input.name !== company.name;
      company = await this.ledger.updateCompany(input.code, {
        name: input.name,
        ...(d.receivable === undefined ? {} : { receivable: d.receivable }),
      });
      const fields = {
        taxRegistration: { ...input.taxRegistration },
        country: input.country,
        defaultTaxPayable: d.taxPayable ?? null,
        defaultCash: d.cash ?? null,
        defaultDeferredRevenue: d.deferredRevenue ?? null,
      };
      const now = new Date();
      let row: TrytonLegalEntityEntity;
      if (!existing) {
        row = this.tx.manager.create(TrytonLegalEntityEntity, {
          ...fields,
          code: input.code,
          id: uuidOf(MODEL.company, company.id),
          companyId: company.id,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        await this.tx.manager.insert(TrytonLegalEntityEntity, row);
      } else {
        const changed =
          renamed ||
          JSON.stringify(sortedKeys(existing.taxRegistration)) !==
            JSON.stringify(sortedKeys(fields.taxRegistration)) ||
          existing.country !== fields.country ||
          existing.defaultTaxPayable !== fields.defaultTaxPayable ||
          existing.defaultCash !== fields.defaultCash ||
          existing.defaultDeferredRevenue !== fields.defaultDeferredRevenue;
        row = existing;
        if (changed) {
          const update = { ...fields, version: existing.version + 1, updatedAt: now };
          await this.tx.manager.update(TrytonLegalEntityEntity, { code: input.code }, update);
          row = Object.assign(existing, update);
        }
      }
      return { record: await this.toLegalEntity({ row, company }), created: !existing };
    });
  }

  async getLegalEntity(code: string): Promise<ErpLegalEntity | undefined> {
    return this.call(async () => {
      const entity = await this.entity(code);
      return entity && this.toLegalEntity(entity);
    });
  }

  async listLegalEntities(filter: ListWindow): Promise<Slice<ErpLegalEntity>> {
    return this.call(async () => {
      const rows = await applyKeyset(
        this.tx.manager.createQueryBuilder(TrytonLegalEntityEntity, 'e'),
        filter,
        'code',
      ).getMany();
      const items: ErpLegalEntity[] = [];
      for (const row of rows.slice(0, filter.limit)) {
        const entity = await this.entity(row.code);
        if (entity) items.push(await this.toLegalEntity(entity));
      }
      return { items, hasMore: rows.length > filter.limit };
    });
  }

  // --- periods -------------------------------------------------------------------------------

  private toPeriod(legalEntity: string, p: TrytonPeriod): ErpPeriod {
    return {
      ...stampsOf(MODEL.period, p.id, p),
      legalEntity,
      period: p.period,
      start: p.start,
      // The API's periods end on the first day after them; Tryton's on their last day.
      end: addDays(p.end, 1),
      status: p.state === 'open' ? 'open' : 'closed',
    };
  }

  async openPeriod(legalEntity: string, period: string): Promise<Upserted<ErpPeriod>> {
    return this.write(`period:${legalEntity}:${period}`, async () => {
      await this.pathEntity(legalEntity);
      const { record, created } = await this.ledger.openPeriod(legalEntity, period);
      return { record: this.toPeriod(legalEntity, record), created };
    });
  }

  async getPeriod(legalEntity: string, period: string): Promise<ErpPeriod | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.period(legalEntity, period);
      return found && this.toPeriod(legalEntity, found);
    });
  }

  async listPeriods(filter: PeriodFilter): Promise<Slice<ErpPeriod>> {
    return this.call(() =>
      this.forEachEntity(filter, async (code) =>
        (await this.ledger.periods(code))
          .map((p) => this.toPeriod(code, p))
          .filter((p) => filter.status === undefined || p.status === filter.status),
      ),
    );
  }

  async setPeriodStatus(
    legalEntity: string,
    period: string,
    status: AccountingPeriodStatus,
    guard: WriteGuard,
  ): Promise<{ record: ErpPeriod; changed: boolean }> {
    return this.write(`period:${legalEntity}:${period}`, async () => {
      await this.pathEntity(legalEntity);
      // Read fresh: the period may have been closed or reopened in Tryton since it was cached.
      const found = await this.ledger.period(legalEntity, period, { fresh: true });
      if (!found)
        throw new ErpError(
          ErpErrorCode.PERIOD_NOT_FOUND,
          `Legal entity ${legalEntity} has no accounting period ${period}.`,
        );
      const current = this.toPeriod(legalEntity, found);
      if (current.status === status) return { record: current, changed: false };
      if (guard.expectedVersion !== undefined && guard.expectedVersion !== current.version)
        throw staleWrite('period', current.version);
      const { record } = await this.ledger.setPeriodState(
        legalEntity,
        period,
        status === 'open' ? 'open' : 'close',
      );
      return { record: this.toPeriod(legalEntity, record), changed: true };
    });
  }

  // --- accounts ------------------------------------------------------------------------------

  private toAccount(legalEntity: string, a: TrytonAccount): ErpAccount | undefined {
    const type = typeOf(a.kind);
    if (type === undefined || a.closed) return undefined;
    return { ...stampsOf(MODEL.account, a.id, a), legalEntity, code: a.code, name: a.name, type };
  }

  async upsertAccount(input: AccountInput, guard: WriteGuard): Promise<Upserted<ErpAccount>> {
    return this.write(`account:${input.legalEntity}:${input.code}`, async () => {
      const entity = await this.pathEntity(input.legalEntity);
      const found = await this.ledger.account(input.legalEntity, input.code);
      const existing = found && this.toAccount(input.legalEntity, found);
      assertGuard(guard, existing, 'account');
      if (existing && existing.type !== input.type) {
        const defaults = Object.values(await this.defaults(entity));
        if (
          defaults.includes(input.code) ||
          (await this.ledger.accountUsed(input.legalEntity, input.code))
        )
          throw new ErpError(
            ErpErrorCode.FIELD_IMMUTABLE,
            `Account ${input.code} of ${input.legalEntity} is a ${existing.type} account with postings or in use as a default; its type cannot change. Open a new account instead.`,
            { pointers: ['/type'] },
          );
      }
      // Tryton's payable accounts read as liability: keep their kind when the type says so.
      const kind = found && typeOf(found.kind) === input.type ? found.kind : kindOf(input.type);
      const { record, created } = await this.ledger.upsertAccount(input.legalEntity, {
        code: input.code,
        name: input.name,
        kind: kind ?? kindOf(input.type),
      });
      const account = this.toAccount(input.legalEntity, record);
      if (!account)
        throw new ErpError(ErpErrorCode.PROVIDER_ERROR, `Account ${input.code} was not saved.`);
      return { record: account, created };
    });
  }

  async getAccount(legalEntity: string, code: string): Promise<ErpAccount | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.account(legalEntity, code);
      return found && this.toAccount(legalEntity, found);
    });
  }

  async listAccounts(filter: AccountFilter): Promise<Slice<ErpAccount>> {
    return this.call(() =>
      this.forEachEntity(filter, async (code) =>
        (await this.ledger.accounts(code)).flatMap((a) => {
          const account = this.toAccount(code, a);
          return account && (filter.type === undefined || account.type === filter.type)
            ? [account]
            : [];
        }),
      ),
    );
  }

  // --- customers -----------------------------------------------------------------------------

  private toCustomer(legalEntity: string, p: TrytonParty): ErpCustomer | undefined {
    const externalId = keyOf(legalEntity, p.code);
    if (externalId === undefined) return undefined;
    const registration = p.identifiers.map(registrationOf).find((r) => r !== undefined);
    return {
      ...stampsOf(MODEL.party, p.id, p),
      legalEntity,
      externalId,
      name: p.name,
      paymentTerms: termsOf(p.paymentTermDays),
      ...(p.currency === undefined ? {} : { currency: p.currency }),
      ...(p.address?.country === undefined ? {} : { country: p.address.country }),
      ...(registration === undefined ? {} : { taxRegistration: registration }),
    };
  }

  async upsertCustomer(input: CustomerInput, guard: WriteGuard): Promise<Upserted<ErpCustomer>> {
    return this.write(
      `customer:${input.legalEntity}:${input.externalId}`,
      async () => {
        const { company } = await this.pathEntity(input.legalEntity);
        if (input.currency !== undefined && input.currency !== company.currency)
          throw new ErpError(
            ErpErrorCode.CURRENCY_NOT_ALLOWED,
            `Legal entity ${input.legalEntity} does not allow ${input.currency} (it allows ${company.currency}).`,
            { pointers: ['/currency'] },
          );
        const code = scopedCode(input.legalEntity, input.externalId);
        const found = await this.ledger.party(input.legalEntity, code);
        const existing = found && this.toCustomer(input.legalEntity, found);
        assertGuard(guard, existing, 'customer');
        const { record, created } = await this.ledger.upsertParty(input.legalEntity, {
          code,
          name: input.name,
          // What Tryton's users keep on the address stays; the API sets its country.
          address: {
            street: found?.address?.street,
            city: found?.address?.city,
            postalCode: found?.address?.postalCode,
            country: input.country,
          },
          identifiers: input.taxRegistration ? [identifierOf(input.taxRegistration)] : [],
          paymentTermDays: termDays(input.paymentTerms),
          currency: input.currency ?? null,
        });
        const customer = this.toCustomer(input.legalEntity, record);
        if (!customer)
          throw new ErpError(
            ErpErrorCode.PROVIDER_ERROR,
            `Customer ${input.externalId} was not saved.`,
          );
        return { record: customer, created };
      },
      { ERP_TAX_REGISTRATION_INVALID: { pointer: '/taxRegistration/number' } },
    );
  }

  async getCustomer(legalEntity: string, externalId: string): Promise<ErpCustomer | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.party(legalEntity, scopedCode(legalEntity, externalId));
      return found && this.toCustomer(legalEntity, found);
    });
  }

  async listCustomers(filter: EntityScopedFilter): Promise<Slice<ErpCustomer>> {
    return this.call(() =>
      this.forEachEntity(filter, async (code) =>
        (await this.ledger.parties(code, scopedCode(code, ''), windowStart(filter))).flatMap(
          (p) => this.toCustomer(code, p) ?? [],
        ),
      ),
    );
  }

  // --- items ---------------------------------------------------------------------------------

  private toItem(legalEntity: string, p: TrytonProduct): ErpItem | undefined {
    const code = keyOf(legalEntity, p.code);
    if (code === undefined) return undefined;
    return {
      ...stampsOf(MODEL.product, p.id, p),
      legalEntity,
      code,
      name: p.name,
      revenueAccount: p.revenueAccount,
      ...(p.deferredRevenueAccount === undefined
        ? {}
        : { deferredRevenueAccount: p.deferredRevenueAccount }),
      ...(p.taxCode === undefined ? {} : { taxCode: p.taxCode }),
    };
  }

  async upsertItem(input: ItemInput, guard: WriteGuard): Promise<Upserted<ErpItem>> {
    return this.write(`item:${input.legalEntity}:${input.code}`, async () => {
      await this.pathEntity(input.legalEntity);
      const accounts = await this.ledger.accounts(input.legalEntity);
      assertAccountType(accounts, input.legalEntity, {
        code: input.revenueAccount,
        type: 'revenue',
        pointer: '/revenueAccount',
      });
      if (input.deferredRevenueAccount !== undefined)
        assertAccountType(accounts, input.legalEntity, {
          code: input.deferredRevenueAccount,
          type: 'deferred_revenue',
          pointer: '/deferredRevenueAccount',
        });
      const code = scopedCode(input.legalEntity, input.code);
      const found = await this.ledger.product(input.legalEntity, code);
      const existing = found && this.toItem(input.legalEntity, found);
      assertGuard(guard, existing, 'item');
      const { record, created } = await this.ledger.upsertProduct(input.legalEntity, {
        code,
        name: input.name,
        revenueAccount: input.revenueAccount,
        ...(input.deferredRevenueAccount === undefined
          ? {}
          : { deferredRevenueAccount: input.deferredRevenueAccount }),
        ...(input.taxCode === undefined ? {} : { taxCode: input.taxCode }),
      });
      const item = this.toItem(input.legalEntity, record);
      if (!item)
        throw new ErpError(ErpErrorCode.PROVIDER_ERROR, `Item ${input.code} was not saved.`);
      return { record: item, created };
    });
  }

  async getItem(legalEntity: string, code: string): Promise<ErpItem | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.product(legalEntity, scopedCode(legalEntity, code));
      return found && this.toItem(legalEntity, found);
    });
  }

  async listItems(filter: EntityScopedFilter): Promise<Slice<ErpItem>> {
    return this.call(() =>
      this.forEachEntity(filter, async (code) =>
        (await this.ledger.products(code, scopedCode(code, ''), windowStart(filter))).flatMap(
          (p) => this.toItem(code, p) ?? [],
        ),
      ),
    );
  }

  // --- postings: checks every posting passes -------------------------------------------------

  /** Currency, period (known, open) and customer, in the sandbox's order. */
  private async assertPostable(
    entity: Entity,
    request: { legalEntity: string; currency: string; date: string; customerExternalId?: string },
  ): Promise<void> {
    const { legalEntity, currency, date } = request;
    if (currency !== entity.company.currency)
      throw new ErpError(
        ErpErrorCode.CURRENCY_NOT_ALLOWED,
        `Legal entity ${legalEntity} does not allow ${currency} (it allows ${entity.company.currency}).`,
        { pointers: ['/currency'] },
      );
    const period = await this.ledger.periodOfDate(legalEntity, date);
    if (!period)
      throw new ErpError(
        ErpErrorCode.PERIOD_UNKNOWN,
        `Legal entity ${legalEntity} has no accounting period for ${date}; nothing was posted.`,
        { pointers: ['/date'] },
      );
    if (period.state !== 'open')
      throw new ErpError(
        ErpErrorCode.PERIOD_CLOSED,
        `The accounting period ${period.period} of ${legalEntity} is closed; nothing was posted. Date the posting in an open period.`,
        { pointers: ['/date'] },
      );
    if (
      request.customerExternalId !== undefined &&
      !(await this.ledger.party(legalEntity, scopedCode(legalEntity, request.customerExternalId)))
    )
      throw new ErpError(
        ErpErrorCode.CUSTOMER_UNKNOWN,
        `Legal entity ${legalEntity} has no customer ${request.customerExternalId}.`,
        { pointers: ['/customerExternalId'] },
      );
  }

  // --- AR invoices and credit memos ----------------------------------------------------------

  private toArDocument(legalEntity: string, inv: TrytonInvoice): ArDocument {
    const currency = inv.currency;
    const money = (v: string | InstanceType<typeof MoneyDecimal>): string =>
      roundMoney(v, currency);
    const details = readDetails(inv.details);
    const period = inv.period ?? periodOf(inv.date);
    const kind: ArDocumentKind = inv.kind === 'credit_note' ? 'credit_memo' : 'invoice';
    const total = new MoneyDecimal(inv.totalAmount);
    const paid = new MoneyDecimal(inv.paid);
    const due = kind === 'invoice' ? new MoneyDecimal(inv.amountToPay) : ZERO;
    return {
      ...stampsOf(MODEL.invoice, inv.id, inv),
      kind,
      legalEntity,
      externalId: inv.reference,
      ...(details?.reference === undefined ? {} : { reference: details.reference }),
      customerExternalId: keyOf(legalEntity, inv.partyCode) ?? inv.partyCode,
      date: inv.date,
      ...(inv.dueDate === undefined ? {} : { dueDate: inv.dueDate }),
      currency,
      ...(inv.description === undefined ? {} : { memo: inv.description }),
      ...(inv.appliesTo === undefined ? {} : { invoiceExternalId: inv.appliesTo }),
      lines: inv.lines.map((l, i): ArLine => {
        const d = details?.lines.at(i);
        return {
          itemCode: keyOf(legalEntity, l.productCode) ?? l.productCode ?? '',
          ...(l.description === undefined ? {} : { description: l.description }),
          quantity: d?.quantity ?? new MoneyDecimal(l.quantity).toFixed(),
          amount: money(l.amount),
          taxAmount: money(d?.taxAmount ?? '0'),
          ...(d?.taxCode === undefined ? {} : { taxCode: d.taxCode }),
          ...(d?.servicePeriod === undefined ? {} : { servicePeriod: d.servicePeriod }),
          accountCode: l.deferredAccountCode ?? l.accountCode,
          deferred: l.deferredAccountCode !== undefined,
        };
      }),
      number: inv.number ?? '',
      period,
      status: 'posted',
      subtotal: money(inv.untaxedAmount),
      taxTotal: money(inv.taxAmount),
      total: money(total),
      amountCredited: money(inv.credited),
      amountPaid: money(paid),
      amountDue: money(due),
      ...(kind === 'invoice' ? { paymentStatus: paymentStatus(total, paid, due) } : {}),
      // The invoice's move with its deferral move composed: a deferred line's revenue line shows on
      // the account the deferral took it to (Tryton keeps the two moves).
      ledger: inv.moveLines.map((l) => {
        const deferredTo = inv.lines.find((line) => line.id === l.invoiceLine)?.deferredAccountCode;
        return ledgerLineOf(
          deferredTo === undefined ? l : { ...l, accountCode: deferredTo },
          legalEntity,
          currency,
        );
      }),
    };
  }

  async postArDocument(input: ArDocumentInput): Promise<Posted<ArDocument>> {
    const { legalEntity, kind, externalId } = input;
    return this.write(
      `ar:${kind}:${legalEntity}:${externalId}`,
      async () => {
        const entity = await this.bodyEntity(legalEntity);
        const fingerprint = arDocumentFingerprint(input);
        const trytonKind = TRYTON_KIND[kind];
        const existing = await this.ledger.invoice(legalEntity, trytonKind, externalId);
        const posted = existing?.state === 'posted' || existing?.state === 'paid';
        if (posted && existing.fingerprint !== fingerprint)
          throw externalIdConflict(kind === 'invoice' ? 'Invoice' : 'Credit memo', externalId);

        // Posted before with this content: the ledger finishes what an interrupted attempt may
        // have left (a credit applied to its invoice, a deferral move) and answers with it.
        if (!posted) await this.assertPostable(entity, input);
        const period = periodOf(input.date);
        const items = new Map<string, TrytonProduct>();
        const unknown: number[] = [];
        for (const [i, line] of input.lines.entries()) {
          const item =
            items.get(line.itemCode) ??
            (await this.ledger.product(legalEntity, scopedCode(legalEntity, line.itemCode)));
          if (item) items.set(line.itemCode, item);
          else unknown.push(i);
        }
        if (unknown.length)
          throw new ErpError(
            ErpErrorCode.ITEM_UNKNOWN,
            `Legal entity ${legalEntity} has no item ${[...new Set(unknown.map((i) => input.lines[i].itemCode))].join(', ')}.`,
            { pointers: unknown.map((i) => `/lines/${i}/itemCode`) },
          );
        const defaults = await this.defaults(entity);
        const what = kind === 'invoice' ? 'An invoice' : 'A credit memo';
        defaultAccount(defaults, 'receivable', legalEntity, what);
        const lines = input.lines.map((l, i) => {
          const item = items.get(l.itemCode) as TrytonProduct;
          return {
            ...l,
            ...revenueAccountFor(
              l,
              i,
              {
                code: l.itemCode,
                revenueAccount: item.revenueAccount,
                ...(item.deferredRevenueAccount === undefined
                  ? {}
                  : { deferredRevenueAccount: item.deferredRevenueAccount }),
              },
              period,
              defaults,
            ),
            productCode: item.code,
            revenueAccount: item.revenueAccount,
          };
        });
        const tax = input.lines.reduce((sum, l) => sum.plus(l.taxAmount), ZERO);
        const taxPayable = tax.isZero()
          ? undefined
          : defaultAccount(defaults, 'taxPayable', legalEntity, `${what} with tax`);
        if (kind === 'credit_memo' && !posted)
          await this.assertApplicable(
            input,
            input.invoiceExternalId ?? '',
            input.lines.reduce((sum, l) => sum.plus(l.amount), ZERO).plus(tax),
            '/invoiceExternalId',
            'a credit memo',
          );
        const ledgerInput: TrytonInvoiceInput = {
          reference: externalId,
          kind: trytonKind,
          partyCode: scopedCode(legalEntity, input.customerExternalId),
          currency: input.currency,
          date: input.date,
          ...(input.dueDate === undefined ? {} : { dueDate: input.dueDate }),
          ...(input.memo === undefined ? {} : { description: input.memo }),
          fingerprint,
          details: writeDetails(input),
          ...(input.invoiceExternalId === undefined ? {} : { appliesTo: input.invoiceExternalId }),
          lines: lines.map((l) => ({
            // Tryton takes revenue accounts only on invoice lines: a deferred line is invoiced to
            // its item's revenue account, and its deferral move takes it to the deferred one.
            accountCode: l.deferred ? l.revenueAccount : l.accountCode,
            ...(l.deferred ? { deferredAccountCode: l.accountCode } : {}),
            productCode: l.productCode,
            ...(l.description === undefined ? {} : { description: l.description }),
            quantity: l.quantity,
            amount: l.amount,
          })),
          taxes: taxPayable === undefined ? [] : taxLinesOf(input.lines, taxPayable),
        };
        const { record } = posted
          ? await this.ledger.finishInvoice(legalEntity, ledgerInput)
          : await this.ledger.postInvoice(legalEntity, ledgerInput);
        return { record: this.toArDocument(legalEntity, record), created: !posted };
      },
      {
        ...POSTING_REFUSALS,
        ERP_INVOICE_NOT_FOUND: {
          code: ErpErrorCode.INVOICE_UNKNOWN,
          pointer: '/invoiceExternalId',
        },
        ERP_INVOICE_MISMATCH: { pointer: '/invoiceExternalId' },
        ERP_EXCEEDS_AMOUNT_DUE: { pointer: '/invoiceExternalId' },
      },
    );
  }

  /**
   * A credit memo or payment applies to a posted invoice of its customer and currency, never more
   * than is left due on it (a paid invoice has nothing due).
   */
  private async assertApplicable(
    request: { legalEntity: string; customerExternalId: string; currency: string },
    invoiceExternalId: string,
    amount: InstanceType<typeof MoneyDecimal>,
    pointer: string,
    what: 'a credit memo' | 'a payment',
  ): Promise<void> {
    const { legalEntity, currency } = request;
    const pointers = [pointer];
    const target = await this.ledger.invoice(legalEntity, 'invoice', invoiceExternalId);
    if (!target || (target.state !== 'posted' && target.state !== 'paid'))
      throw new ErpError(
        ErpErrorCode.INVOICE_UNKNOWN,
        `Legal entity ${legalEntity} has no posted invoice ${invoiceExternalId}.`,
        { pointers },
      );
    const customer = keyOf(legalEntity, target.partyCode);
    if (customer !== request.customerExternalId || target.currency !== currency)
      throw new ErpError(
        ErpErrorCode.INVOICE_MISMATCH,
        `Invoice ${invoiceExternalId} is for customer ${customer ?? target.partyCode} in ${target.currency}; ${what} for ${request.customerExternalId} in ${currency} cannot apply to it.`,
        { pointers },
      );
    const due = target.state === 'paid' ? ZERO : new MoneyDecimal(target.amountToPay);
    if (amount.gt(due))
      throw new ErpError(
        ErpErrorCode.EXCEEDS_AMOUNT_DUE,
        `${what === 'a payment' ? 'A payment' : 'A credit memo'} would apply ${roundMoney(amount, currency)} ${currency} to invoice ${invoiceExternalId}, which has ${roundMoney(due, currency)} ${currency} due.`,
        { pointers },
      );
  }

  async getArDocument(
    legalEntity: string,
    kind: ArDocumentKind,
    externalId: string,
  ): Promise<ArDocument | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.invoice(legalEntity, TRYTON_KIND[kind], externalId);
      return found && (found.state === 'posted' || found.state === 'paid')
        ? this.toArDocument(legalEntity, found)
        : undefined;
    });
  }

  async listArDocuments(filter: ArDocumentFilter): Promise<Slice<ArDocument>> {
    return this.call(async () => {
      const wanted = TRYTON_KIND[filter.kind];
      const candidates: (TrytonStamps & { id: string; legalEntity: string; trytonId: number })[] =
        [];
      for (const code of await this.listedEntities(filter)) {
        const stamps = await this.ledger.invoiceStamps(code, {
          ...(filter.customerExternalId === undefined
            ? {}
            : { partyCode: scopedCode(code, filter.customerExternalId) }),
          ...periodRange(filter.period),
          ...(filter.paymentStatus === 'paid' ? { state: 'paid' as const } : {}),
          ...(filter.paymentStatus === 'unpaid' || filter.paymentStatus === 'partially_paid'
            ? { state: 'posted' as const }
            : {}),
          since: windowStart(filter),
        });
        for (const s of stamps)
          if (s.kind === wanted)
            candidates.push({
              ...s,
              id: uuidOf(MODEL.invoice, s.id),
              legalEntity: code,
              trytonId: s.id,
            });
      }
      if (filter.paymentStatus === undefined || filter.paymentStatus === 'paid')
        return this.loadPage(
          candidates,
          filter,
          (code, ids) => this.ledger.invoicesById(code, ids),
          (code, inv) => this.toArDocument(code, inv),
        );
      // Unpaid or partly paid: read them all, keep those in that status, then page.
      const documents: ArDocument[] = [];
      for (const code of new Set(candidates.map((c) => c.legalEntity)))
        for (const inv of await this.ledger.invoicesById(
          code,
          candidates.filter((c) => c.legalEntity === code).map((c) => c.trytonId),
        )) {
          const doc = this.toArDocument(code, inv);
          if (doc.paymentStatus === filter.paymentStatus) documents.push(doc);
        }
      return keysetSlice(documents, filter);
    });
  }

  /** A keyset page of candidates (ids and stamps), read whole only for the page's records. */
  private async loadPage<R, T>(
    candidates: readonly (TrytonStamps & { id: string; legalEntity: string; trytonId: number })[],
    window: ListWindow,
    read: (legalEntity: string, ids: number[]) => Promise<R[]>,
    map: (legalEntity: string, record: R) => T,
  ): Promise<Slice<T>> {
    const page = keysetSlice(candidates, window);
    const items: T[] = [];
    for (const c of page.items) {
      const [record] = await read(c.legalEntity, [c.trytonId]);
      if (record !== undefined) items.push(map(c.legalEntity, record));
    }
    return { items, hasMore: page.hasMore };
  }

  // --- payments ------------------------------------------------------------------------------

  private toPayment(legalEntity: string, p: TrytonPayment): ErpPayment {
    const money = (v: string | InstanceType<typeof MoneyDecimal>): string =>
      roundMoney(v, p.currency);
    const applied = p.applications.reduce((sum, a) => sum.plus(a.amount), ZERO);
    return {
      ...stampsOf(MODEL.move, p.moveId, p),
      legalEntity,
      externalId: p.externalId,
      customerExternalId: keyOf(legalEntity, p.partyCode) ?? p.partyCode,
      date: p.date,
      currency: p.currency,
      amount: money(p.amount),
      cashAccount: p.cashAccount,
      ...(p.memo === undefined ? {} : { memo: p.memo }),
      applications: p.applications.map((a) => ({
        invoiceExternalId: a.invoiceReference,
        amount: money(a.amount),
      })),
      number: p.number ?? '',
      period: p.period,
      appliedAmount: money(applied),
      unappliedAmount: money(p.unapplied),
      ledger: p.lines.map((l) => ledgerLineOf(l, legalEntity, p.currency)),
    };
  }

  async postPayment(input: PaymentInput): Promise<Posted<ErpPayment>> {
    const { legalEntity, externalId } = input;
    return this.write(
      `payment:${legalEntity}:${externalId}`,
      async () => {
        const entity = await this.bodyEntity(legalEntity);
        const existing = await this.ledger.payment(legalEntity, externalId);
        const defaults = await this.defaults(entity);
        if (!existing) {
          await this.assertPostable(entity, input);
          defaultAccount(defaults, 'receivable', legalEntity, 'A payment');
          if (input.cashAccount !== undefined)
            assertAccountType(await this.ledger.accounts(legalEntity), legalEntity, {
              code: input.cashAccount,
              type: 'cash',
              pointer: '/cashAccount',
            });
          else defaultAccount(defaults, 'cash', legalEntity, 'A payment');
          for (const [i, a] of input.applications.entries())
            await this.assertApplicable(
              input,
              a.invoiceExternalId,
              new MoneyDecimal(a.amount),
              `/applications/${i}/invoiceExternalId`,
              'a payment',
            );
        }
        const cashAccount = input.cashAccount ?? defaults.cash;
        const { record, created } = await this.ledger.postPayment(legalEntity, {
          externalId,
          partyCode: scopedCode(legalEntity, input.customerExternalId),
          date: input.date,
          currency: input.currency,
          amount: input.amount,
          ...(cashAccount === undefined ? {} : { cashAccount }),
          ...(input.memo === undefined ? {} : { memo: input.memo }),
          applications: input.applications.map((a) => ({
            invoiceReference: a.invoiceExternalId,
            amount: a.amount,
          })),
        });
        return { record: this.toPayment(legalEntity, record), created };
      },
      {
        ...POSTING_REFUSALS,
        ERP_INVOICE_NOT_FOUND: {
          code: ErpErrorCode.INVOICE_UNKNOWN,
          pointer: '/applications',
        },
        ERP_INVOICE_MISMATCH: { pointer: '/applications' },
        ERP_EXCEEDS_AMOUNT_DUE: { pointer: '/applications' },
        ERP_ACCOUNT_NOT_FOUND: { code: ErpErrorCode.ACCOUNT_UNKNOWN, pointer: '/cashAccount' },
      },
    );
  }

  async getPayment(legalEntity: string, externalId: string): Promise<ErpPayment | undefined> {
    return this.lookup(legalEntity, async () => {
      const found = await this.ledger.payment(legalEntity, externalId);
      return found && this.toPayment(legalEntity, found);
    });
  }

  async listPayments(filter: DocumentFilter): Promise<Slice<ErpPayment>> {
    return this.call(async () =>
      this.loadPage(
        await this.moveCandidates(filter, 'cash'),
        filter,
        (code, ids) => this.ledger.paymentsById(code, ids),
        (code, p) => this.toPayment(code, p),
      ),
    );
  }

  private async moveCandidates(
    filter: DocumentFilter,
    journal: 'cash' | 'general',
  ): Promise<(TrytonStamps & { id: string; legalEntity: string; trytonId: number })[]> {
    const candidates: (TrytonStamps & { id: string; legalEntity: string; trytonId: number })[] = [];
    for (const code of await this.listedEntities(filter))
      for (const s of await this.ledger.moveStamps(code, journal, {
        ...(filter.customerExternalId === undefined
          ? {}
          : { partyCode: scopedCode(code, filter.customerExternalId) }),
        ...periodRange(filter.period),
        since: windowStart(filter),
      }))
        candidates.push({ ...s, id: uuidOf(MODEL.move, s.id), legalEntity: code, trytonId: s.id });
    return candidates;
  }

  // --- journal entries -----------------------------------------------------------------------

  private toJournalEntry(legalEntity: string, currency: string, m: TrytonMove): ErpJournalEntry {
    const lines = m.lines.map((l) => ledgerLineOf(l, legalEntity, currency, true));
    const total = (side: 'debit' | 'credit'): string =>
      roundMoney(
        lines.reduce((sum, l) => sum.plus(l[side]), ZERO),
        currency,
      );
    return {
      ...stampsOf(MODEL.move, m.id, m),
      legalEntity,
      externalId: m.externalId,
      date: m.date,
      period: m.period,
      currency,
      memo: m.memo ?? '',
      number: m.number ?? '',
      lines,
      totalDebit: total('debit'),
      totalCredit: total('credit'),
    };
  }

  async postJournalEntry(input: JournalEntryInput): Promise<Posted<ErpJournalEntry>> {
    const { legalEntity, externalId } = input;
    return this.write(
      `journal:${legalEntity}:${externalId}`,
      async () => {
        const entity = await this.bodyEntity(legalEntity);
        const existing = await this.ledger.journalEntry(legalEntity, externalId);
        const accounts = await this.ledger.accounts(legalEntity);
        if (!existing || existing.state !== 'posted') {
          await this.assertPostable(entity, input);
          const unknown = input.lines.flatMap((l, i) =>
            accounts.some((a) => a.code === l.accountCode && !a.closed) ? [] : [i],
          );
          if (unknown.length)
            throw new ErpError(
              ErpErrorCode.ACCOUNT_UNKNOWN,
              `The chart of ${legalEntity} has no account ${[...new Set(unknown.map((i) => input.lines[i].accountCode))].join(', ')}.`,
              { pointers: unknown.map((i) => `/lines/${i}/accountCode`) },
            );
          for (const [i, l] of input.lines.entries()) {
            const account = accounts.find((a) => a.code === l.accountCode);
            if (!account?.partyRequired) continue;
            const customer = l.dimensions?.customer;
            const known =
              customer !== undefined &&
              (await this.ledger.party(legalEntity, scopedCode(legalEntity, customer)));
            if (!known)
              throw new ErpError(
                ErpErrorCode.CUSTOMER_UNKNOWN,
                `Tryton keeps account ${l.accountCode} per customer: lines[${i}] needs dimensions.customer naming a customer of ${legalEntity}.`,
                { pointers: [`/lines/${i}/dimensions/customer`] },
              );
          }
        }
        const { record, created } = await this.ledger.postJournalEntry(legalEntity, {
          externalId,
          date: input.date,
          currency: input.currency,
          memo: input.memo,
          lines: input.lines.map((l) => {
            const customer = l.dimensions?.customer;
            const description = lineDescription(l.memo, l.dimensions);
            return {
              accountCode: l.accountCode,
              ...(l.debit === undefined ? {} : { debit: l.debit }),
              ...(l.credit === undefined ? {} : { credit: l.credit }),
              ...(description === undefined ? {} : { description }),
              ...(customer === undefined ? {} : { partyCode: scopedCode(legalEntity, customer) }),
            };
          }),
        });
        return {
          record: this.toJournalEntry(legalEntity, entity.company.currency, record),
          created,
        };
      },
      POSTING_REFUSALS,
    );
  }

  async getJournalEntry(
    legalEntity: string,
    externalId: string,
  ): Promise<ErpJournalEntry | undefined> {
    return this.call(async () => {
      const entity = await this.entity(legalEntity);
      if (!entity) return undefined;
      const found = await this.ledger.journalEntry(legalEntity, externalId);
      return found?.state === 'posted'
        ? this.toJournalEntry(legalEntity, entity.company.currency, found)
        : undefined;
    });
  }

  async listJournalEntries(filter: DocumentFilter): Promise<Slice<ErpJournalEntry>> {
    return this.call(async () => {
      const currencies = new Map<string, string>();
      for (const code of await this.listedEntities(filter))
        currencies.set(code, (await this.ledger.company(code)).currency);
      return this.loadPage(
        await this.moveCandidates({ ...filter, customerExternalId: undefined }, 'general'),
        filter,
        (code, ids) => this.ledger.movesById(code, ids),
        (code, m) => this.toJournalEntry(code, currencies.get(code) ?? '', m),
      );
    });
  }

  // --- trial balance -------------------------------------------------------------------------

  async trialBalance(legalEntity: string, period: string): Promise<TrialBalance> {
    return this.call(async () => {
      await this.pathEntity(legalEntity);
      if (!(await this.ledger.period(legalEntity, period)))
        throw new ErpError(
          ErpErrorCode.PERIOD_NOT_FOUND,
          `Legal entity ${legalEntity} has no accounting period ${period}.`,
        );
      const balance = await this.ledger.trialBalance(legalEntity, period);
      const currency = balance.currency;
      const money = (v: string | InstanceType<typeof MoneyDecimal>): string =>
        roundMoney(v, currency);
      // Tryton lists every account of the chart: the API lists those with postings.
      const rows = balance.rows
        .filter((r) => ![r.opening, r.debit, r.credit].every((v) => new MoneyDecimal(v).isZero()))
        .map((r) => ({
          accountCode: r.accountCode,
          name: r.name,
          type: typeOf(r.kind) ?? 'asset',
          openingBalance: money(r.opening),
          debit: money(r.debit),
          credit: money(r.credit),
          closingBalance: money(r.closing),
        }));
      const sum = (field: 'openingBalance' | 'debit' | 'credit' | 'closingBalance'): string =>
        money(rows.reduce((acc, r) => acc.plus(r[field]), ZERO));
      return {
        legalEntity,
        period,
        sections:
          rows.length === 0
            ? []
            : [
                {
                  currency,
                  rows,
                  totalDebit: sum('debit'),
                  totalCredit: sum('credit'),
                  totalOpeningBalance: sum('openingBalance'),
                  totalClosingBalance: sum('closingBalance'),
                },
              ],
      };
    });
  }
}

// --- helpers ---------------------------------------------------------------------------------

/** A Tryton refusal in the API's terms: its code (a value of ErpErrorCode), our words, the field. */
function canonical(error: TrytonErpError, refusals: Refusals): ErpError {
  const override = refusals[error.code];
  const code = override?.code ?? ERP_CODES.get(error.code) ?? ErpErrorCode.PROVIDER_ERROR;
  const retryAfterSeconds =
    code === ErpErrorCode.UNAVAILABLE ? 5 : code === ErpErrorCode.RATE_LIMITED ? 60 : undefined;
  const detail =
    code === ErpErrorCode.PROVIDER_ERROR || code === ErpErrorCode.UNAVAILABLE
      ? `Tryton: ${error.detail}; nothing was posted by this call (a retry finds what an interrupted one did).`
      : `Tryton: ${error.detail}.`;
  return new ErpError(code, detail, {
    ...(override?.pointer === undefined ? {} : { pointers: [override.pointer] }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

function externalIdConflict(what: string, externalId: string): ErpError {
  return new ErpError(
    ErpErrorCode.EXTERNAL_ID_CONFLICT,
    `${what} ${externalId} is already posted with other content; a posting cannot change. Post the correction as a new document (a credit memo, a reversing entry) under a new external id.`,
    { pointers: ['/externalId'] },
  );
}

/** The account exists in the company's chart with the type its role needs. */
function assertAccountType(
  accounts: readonly TrytonAccount[],
  legalEntity: string,
  wanted: { code: string; type: GlAccountType; pointer: string },
): void {
  const account = accounts.find((a) => a.code === wanted.code && !a.closed);
  if (!account)
    throw new ErpError(
      ErpErrorCode.ACCOUNT_UNKNOWN,
      `Account ${wanted.code} is not in the chart of ${legalEntity}.`,
      { pointers: [wanted.pointer] },
    );
  const type = typeOf(account.kind);
  if (type !== wanted.type)
    throw new ErpError(
      ErpErrorCode.ACCOUNT_TYPE_MISMATCH,
      `Account ${wanted.code} of ${legalEntity} is a ${type ?? 'view'} account; ${wanted.pointer.slice(1)} needs a ${wanted.type} account.`,
      { pointers: [wanted.pointer] },
    );
}

function defaultAccount(
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

function paymentStatus(
  total: InstanceType<typeof MoneyDecimal>,
  paid: InstanceType<typeof MoneyDecimal>,
  due: InstanceType<typeof MoneyDecimal>,
): PaymentStatus {
  if (due.isZero()) return 'paid';
  return paid.isZero() && due.equals(total) ? 'unpaid' : 'partially_paid';
}

/** The dates of a period (YYYY-MM), for a Tryton domain. */
function periodRange(period: string | undefined): { from?: string; to?: string } {
  return period === undefined
    ? {}
    : { from: periodStart(period), to: addDays(periodEnd(period), -1) };
}

function sortedKeys(value: object): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}

/** If-Match on an upsert: the version it names must be the record's, and the record must exist. */
function assertGuard(
  guard: WriteGuard,
  existing: { version: number } | null | undefined,
  label: string,
): void {
  if (guard.expectedVersion === undefined) return;
  if (!existing)
    throw new ApiError(
      412,
      PlatformErrorCode.PRECONDITION_FAILED,
      `If-Match names a version of ${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label} that does not exist.`,
    );
  if (existing.version !== guard.expectedVersion) throw staleWrite(label, existing.version);
}
