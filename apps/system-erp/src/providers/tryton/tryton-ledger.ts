import { Logger } from '@nestjs/common';
import { addDays, periodEnd, periodStart } from '@revgate/canonical';
import { TrytonErpError, toErpError } from './tryton-erp-errors';
import { TrytonDate } from './tryton-rpc.codec';
import { TrytonRow, TrytonRpcClient } from './tryton-rpc.client';
import { TrytonRpcError, TrytonUserError, TrytonUserWarning } from './tryton-rpc.errors';
import {
  accountOf,
  companyOf,
  D,
  dateOf,
  dec,
  first,
  ids,
  invoiceDifference,
  likePrefix,
  likeStart,
  money,
  moveDescription,
  moveDifference,
  need,
  num,
  CURRENCY_TAG_PARENT,
  PARTY_FIELDS,
  partyOf,
  paymentDifference,
  periodOf,
  readNotes,
  sameIdentifiers,
  sinceDomain,
  splitDescription,
  STAMP_FIELDS,
  stampsOf,
  str,
  sub,
  subs,
  trytonLineShape,
  writeNotes,
  ZERO,
} from './tryton-ledger.mapping';
import {
  TrytonAccount,
  TrytonAccountKind,
  TrytonCompany,
  TrytonInvoice,
  TrytonInvoiceInput,
  TrytonInvoiceKind,
  TrytonInvoiceLine,
  TrytonInvoiceTax,
  TrytonJournalEntryInput,
  TrytonMove,
  TrytonMoveLine,
  TrytonParty,
  TrytonPartyInput,
  TrytonPayment,
  TrytonPaymentInput,
  TrytonPeriod,
  TrytonPosted,
  TrytonProduct,
  TrytonProductInput,
  TrytonStamps,
  TrytonTrialBalance,
} from './tryton-ledger.types';

/** Journals (account.journal codes): REV, CASH come with the account module; MISC with the setup. */
const JOURNAL = { revenue: 'REV', cash: 'CASH', general: 'MISC' } as const;
const DEFAULT_CASH_ACCOUNT = '1000';
const UNAPPLIED = 'unapplied';
/**
 * Parents of the tag categories (product.template categories, "<company code> <value>") that carry an
 * item's per-company facts Tryton has no field for: that the item belongs to the legal entity (the
 * revenue account of its account category cannot tell: an unset company value reads as the company's
 * default account), its deferred revenue account and its tax code.
 */
const TAG_PARENT = {
  legalEntity: 'Revgate legal entity',
  deferredRevenueAccount: 'Revgate deferred revenue account',
  taxCode: 'Revgate tax code',
} as const;
const ITEM_CATEGORY_PREFIX = 'Item ';
const ITEM_TAG = 'item';

/** What an item (product) is read with, its template and account category included. */
const PRODUCT_FIELDS = [
  'suffix_code',
  'template.name',
  'template.account_category.account_revenue.code',
  'template.account_category.create_date',
  'template.account_category.write_date',
  'template.categories.name',
  'template.categories.parent.name',
  'template.create_date',
  'template.write_date',
  ...STAMP_FIELDS,
] as const;

const INVOICE_LINE_ORIGIN = 'account.invoice.line,';

/** The invoice line id of a move line's origin ("account.invoice.line,12"). */
function invoiceLineOf(origin: unknown): number | undefined {
  if (typeof origin !== 'string' || !origin.startsWith(INVOICE_LINE_ORIGIN)) return undefined;
  const id = Number(origin.slice(INVOICE_LINE_ORIGIN.length));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function moveLineOf(line: Readonly<Record<string, unknown>>, currency: string): TrytonMoveLine {
  const invoiceLine = invoiceLineOf(line.origin);
  return {
    accountCode: str(sub(line, 'account') ?? {}, 'code') ?? '',
    debit: money(dec(line, 'debit'), currency),
    credit: money(dec(line, 'credit'), currency),
    description: str(line, 'description'),
    partyCode: str(sub(line, 'party') ?? {}, 'code'),
    ...(invoiceLine === undefined ? {} : { invoiceLine }),
  };
}

/** The item of the company a product row is, or undefined when it is not one (no tag, no account). */
function productOf(companyCode: string, row: TrytonRow, code: string): TrytonProduct | undefined {
  const template = sub(row, 'template');
  const templateId = template && num(template, 'id');
  if (!template || templateId === undefined) return undefined;
  const category = sub(template, 'account_category');
  const revenue = str(sub(category ?? {}, 'account_revenue') ?? {}, 'code');
  if (revenue === undefined) return undefined;
  const tags = subs(template, 'categories');
  const prefix = `${companyCode} `;
  const tagValue = (parent: string): string | undefined => {
    const tag = tags.find(
      (t) => str(sub(t, 'parent') ?? {}, 'name') === parent && str(t, 'name')?.startsWith(prefix),
    );
    return tag && str(tag, 'name')?.slice(prefix.length);
  };
  if (tagValue(TAG_PARENT.legalEntity) !== ITEM_TAG) return undefined;
  return {
    ...stampsOf(row, template, category),
    id: row.id,
    templateId,
    code: str(row, 'suffix_code') ?? code,
    name: str(template, 'name') ?? '',
    revenueAccount: revenue,
    deferredRevenueAccount: tagValue(TAG_PARENT.deferredRevenueAccount),
    taxCode: tagValue(TAG_PARENT.taxCode),
  };
}

/** The account type (in the company's chart, from the minimal template) for each kind. */
const KIND_TYPES: Readonly<Record<TrytonAccountKind, { name: string; assets?: boolean }>> = {
  receivable: { name: 'Receivable' },
  payable: { name: 'Payable' },
  revenue: { name: 'Revenue' },
  expense: { name: 'Expense' },
  cash: { name: 'Cash' },
  tax_payable: { name: 'Tax' },
  equity: { name: 'Equity' },
  deferred_revenue: { name: 'Deferred Revenue' },
  asset: { name: 'Current', assets: true },
  liability: { name: 'Current', assets: false },
};

export interface TrytonLedgerOptions {
  readonly logger?: Pick<Logger, 'warn' | 'log'>;
  /**
   * How long master data read from Tryton (charts, periods, customers, items, default accounts)
   * is reused, in ms (default 30 s; 0: never). The ledger's own writes forget what they change;
   * a change made in Tryton meanwhile is caught by Tryton itself at post (a period closed there:
   * the post is refused, the draft deleted, ERP_PERIOD_CLOSED).
   */
  readonly cacheTtlMs?: number;
}

/**
 * Tryton-shaped operations of Revgate's ERP connector (Tryton 6.0 over JSON-RPC). Every create is a
 * find-or-create on a unique key, so a retry after a timeout finds the first record instead of
 * making a second: parties by code, products by suffix code, invoices by reference, journal
 * entries and payments by the external id their move description starts with. A posting checks
 * what it can before it creates anything (period open, accounts, customer, items, currency, amounts
 * due) and deletes its draft when Tryton refuses the post, so a refusal leaves nothing behind.
 * Concurrent calls for one key are serialised in this process; across processes the caller must
 * not post one external id twice at the same time (Tryton has no unique reference to lean on).
 * Every failure is a TrytonErpError with a canonical code; Tryton's text goes to the log only.
 */
export class TrytonLedger {
  private readonly logger: Pick<Logger, 'warn' | 'log'>;
  private readonly companies = new Map<string, TrytonCompany>();
  private readonly currencyIds = new Map<string, number>();
  private readonly journalIds = new Map<string, number>();
  private readonly paymentTermIds = new Map<number, number>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly cache = new Map<
    string,
    { readonly at: number; readonly value: Promise<unknown> }
  >();
  private readonly cacheTtlMs: number;
  private unitId?: number;

  constructor(
    readonly client: TrytonRpcClient,
    options: TrytonLedgerOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('TrytonLedger');
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
  }

  // --- companies ---------------------------------------------------------------------------------

  async listCompanies(): Promise<TrytonCompany[]> {
    return this.guard('reading the companies', async () => {
      const rows = await this.client.searchRead(
        'company.company',
        [],
        ['party.code', 'party.name', 'currency.code'],
        {
          order: [['id', 'ASC']],
        },
      );
      return rows.flatMap((row) => {
        const company = companyOf(row);
        if (company) this.companies.set(company.code, company);
        return company ? [company] : [];
      });
    });
  }

  /** The company whose party code is the legal entity code. */
  async company(code: string): Promise<TrytonCompany> {
    const cached = this.companies.get(code);
    if (cached) return cached;
    const row = (
      await this.guard('reading the company', () =>
        this.client.searchRead(
          'company.company',
          [['party.code', '=', code]],
          ['party.code', 'party.name', 'currency.code'],
          {
            limit: 1,
          },
        ),
      )
    ).at(0);
    const company = row && companyOf(row);
    if (!company)
      throw new TrytonErpError(
        'ERP_LEGAL_ENTITY_UNKNOWN',
        `Tryton has no company for legal entity ${code}`,
      );
    this.companies.set(code, company);
    return company;
  }

  /** The company's default receivable account (account configuration), by code. */
  async defaultReceivableCode(companyCode: string): Promise<string | undefined> {
    const company = await this.company(companyCode);
    const row = await this.guard('reading the default accounts', async () =>
      first(
        await this.cached(`receivable-code:${String(company.id)}`, () =>
          this.client.read('account.configuration', [1], ['default_account_receivable.code'], {
            company: company.id,
          }),
        ),
      ),
    );
    return str(sub(row ?? {}, 'default_account_receivable') ?? {}, 'code');
  }

  /** Brings the company's name (its party's) and default receivable account to these values. */
  async updateCompany(
    companyCode: string,
    values: { readonly name?: string; readonly receivable?: string },
  ): Promise<TrytonCompany> {
    const company = await this.company(companyCode);
    return this.exclusive(`company:${company.id}`, () =>
      this.guard(`company ${companyCode}`, async () => {
        const ctx = { company: company.id };
        if (values.receivable !== undefined) {
          const account = need(
            (await this.accountIds(companyCode, [values.receivable])).get(values.receivable),
            values.receivable,
          );
          if ((await this.defaultReceivableCode(companyCode)) !== values.receivable) {
            await this.client.write(
              'account.configuration',
              [1],
              { default_account_receivable: account.id },
              ctx,
            );
            this.forget(`receivable:${String(company.id)}`);
            this.forget(`receivable-code:${String(company.id)}`);
          }
        }
        if (values.name !== undefined && values.name !== company.name) {
          const row = first(
            await this.client.read('company.company', [company.id], ['party'], ctx),
          );
          const party = need(row && num(row, 'party'), `party of ${companyCode}`);
          await this.client.write('party.party', [party], { name: values.name }, ctx);
          this.companies.set(companyCode, { ...company, name: values.name });
        }
        return this.company(companyCode);
      }),
    );
  }

  // --- accounts ----------------------------------------------------------------------------------

  async accounts(companyCode: string): Promise<TrytonAccount[]> {
    const company = await this.company(companyCode);
    const rows = await this.guard('reading the chart of accounts', () =>
      this.cached(`accounts:${String(company.id)}`, () =>
        this.client.searchRead(
          'account.account',
          [
            ['company', '=', company.id],
            ['code', '!=', null],
          ],
          [
            'code',
            'name',
            'closed',
            'party_required',
            'type.name',
            'type.receivable',
            'type.payable',
            'type.revenue',
            'type.expense',
            'type.assets',
            ...STAMP_FIELDS,
          ],
          { company: company.id, order: [['code', 'ASC']] },
        ),
      ),
    );
    return rows.map(accountOf);
  }

  /** Whether any move line is on the account (its kind should then stay what it is). */
  async accountUsed(companyCode: string, code: string): Promise<boolean> {
    const company = await this.company(companyCode);
    return this.guard(`account ${code}`, async () => {
      const count = await this.client.searchCount(
        'account.move.line',
        [
          ['account.code', '=', code],
          ['account.company', '=', company.id],
        ],
        { company: company.id },
      );
      return count > 0;
    });
  }

  async account(companyCode: string, code: string): Promise<TrytonAccount | undefined> {
    return (await this.accounts(companyCode)).find((account) => account.code === code);
  }

  /** Find-or-create by code; the name and kind are brought up to date. */
  async upsertAccount(
    companyCode: string,
    input: { code: string; name: string; kind: TrytonAccountKind },
  ): Promise<TrytonPosted<TrytonAccount>> {
    const company = await this.company(companyCode);
    return this.exclusive(`account:${company.id}:${input.code}`, () =>
      this.guard(`account ${input.code}`, async () => {
        const ctx = { company: company.id };
        const type = await this.accountType(company.id, input.kind);
        const partyRequired = input.kind === 'receivable' || input.kind === 'payable';
        const found = await this.account(companyCode, input.code);
        if (!found) {
          const root = (
            await this.client.search(
              'account.account',
              [
                ['company', '=', company.id],
                ['parent', '=', null],
              ],
              { ...ctx, limit: 1, order: [['id', 'ASC']] },
            )
          ).at(0);
          await this.client.create(
            'account.account',
            [
              {
                company: company.id,
                code: input.code,
                name: input.name,
                type,
                parent: root ?? null,
                party_required: partyRequired,
                reconcile: partyRequired,
              },
            ],
            ctx,
          );
        } else if (found.name !== input.name || found.kind !== input.kind) {
          await this.client.write(
            'account.account',
            [found.id],
            { name: input.name, type, party_required: partyRequired, reconcile: partyRequired },
            ctx,
          );
        }
        this.forget(`accounts:${String(company.id)}`);
        const account = await this.account(companyCode, input.code);
        if (!account)
          throw new TrytonErpError('ERP_PROVIDER_ERROR', `account ${input.code} was not saved`);
        return { record: account, created: !found };
      }),
    );
  }

  private async accountType(company: number, kind: TrytonAccountKind): Promise<number> {
    const wanted = KIND_TYPES[kind];
    const domain: unknown[] = [
      ['company', '=', company],
      ['name', '=', wanted.name],
    ];
    if (wanted.assets !== undefined) domain.push(['assets', '=', wanted.assets]);
    const found = (
      await this.client.search('account.account.type', domain, {
        company,
        limit: 1,
        order: [['id', 'ASC']],
      })
    ).at(0);
    if (found !== undefined) return found;
    if (kind !== 'deferred_revenue') {
      throw new TrytonErpError(
        'ERP_PROVIDER_ERROR',
        `the chart of accounts has no "${wanted.name}" account type`,
      );
    }
    // The minimal chart has no type for deferred revenue: a current liability of its own.
    const parent = await this.accountType(company, 'liability');
    const [created] = await this.client.create(
      'account.account.type',
      [{ name: wanted.name, parent, statement: 'balance', company, sequence: 30 }],
      { company },
    );
    return created;
  }

  private async accountIds(
    companyCode: string,
    codes: Iterable<string>,
  ): Promise<Map<string, TrytonAccount>> {
    const accounts = new Map(
      (await this.accounts(companyCode)).map((account) => [account.code, account]),
    );
    for (const code of codes) {
      const account = accounts.get(code);
      if (!account || account.closed) {
        throw new TrytonErpError(
          'ERP_ACCOUNT_NOT_FOUND',
          `account ${code} is not in the chart of ${companyCode}`,
        );
      }
    }
    return accounts;
  }

  // --- periods -----------------------------------------------------------------------------------

  async periods(companyCode: string): Promise<TrytonPeriod[]> {
    const company = await this.company(companyCode);
    const rows = await this.guard('reading the periods', () =>
      this.cached(`periods:${String(company.id)}`, () =>
        this.client.searchRead(
          'account.period',
          [
            ['company', '=', company.id],
            ['type', '=', 'standard'],
          ],
          ['start_date', 'end_date', 'state', 'fiscalyear', ...STAMP_FIELDS],
          { company: company.id, order: [['start_date', 'ASC']] },
        ),
      ),
    );
    return rows.map(periodOf);
  }

  /** The period (YYYY-MM) or undefined when Tryton has none starting on its first day. */
  async period(
    companyCode: string,
    period: string,
    options: { readonly fresh?: boolean } = {},
  ): Promise<TrytonPeriod | undefined> {
    if (options.fresh) this.forget(`periods:${String((await this.company(companyCode)).id)}`);
    return (await this.periods(companyCode)).find((p) => p.period === period);
  }

  /** The standard period containing the date. */
  async periodOfDate(companyCode: string, date: string): Promise<TrytonPeriod | undefined> {
    return (await this.periods(companyCode)).find((p) => p.start <= date && date <= p.end);
  }

  /** The open period a posting dated `date` goes to, or the refusal. */
  private async postingPeriod(companyCode: string, date: string): Promise<TrytonPeriod> {
    const period = await this.periodOfDate(companyCode, date);
    if (!period)
      throw new TrytonErpError(
        'ERP_PERIOD_UNKNOWN',
        `Tryton has no accounting period of ${companyCode} for ${date}`,
      );
    if (period.state !== 'open')
      throw new TrytonErpError(
        'ERP_PERIOD_CLOSED',
        `period ${period.period} of ${companyCode} is closed`,
      );
    return period;
  }

  /**
   * Closes or reopens a period (Tryton's close / reopen buttons); a period already in that state is
   * left alone (`changed: false`). A locked period cannot be reopened.
   */
  async setPeriodState(
    companyCode: string,
    period: string,
    state: 'open' | 'close',
  ): Promise<{ record: TrytonPeriod; changed: boolean }> {
    const company = await this.company(companyCode);
    return this.exclusive(`period:${company.id}:${period}`, () =>
      this.guard(`period ${period}`, async () => {
        const found = await this.period(companyCode, period);
        if (!found)
          throw new TrytonErpError(
            'ERP_PERIOD_UNKNOWN',
            `Tryton has no period ${period} for ${companyCode}`,
          );
        const current = found.state === 'locked' ? 'close' : found.state;
        if (current === state) {
          if (state === 'open') await this.reopenJournalPeriods(company.id, found.id);
          return { record: found, changed: false };
        }
        if (found.state === 'locked') {
          throw new TrytonErpError(
            'ERP_PERIOD_CLOSED',
            `period ${period} of ${companyCode} is locked for good`,
          );
        }
        await this.client.execute(
          'account.period',
          state === 'close' ? 'close' : 'reopen',
          [found.id],
          { company: company.id },
        );
        if (state === 'open') await this.reopenJournalPeriods(company.id, found.id);
        this.forget(`periods:${String(company.id)}`);
        const record = await this.period(companyCode, period);
        return { record: need(record, `period ${period}`), changed: true };
      }),
    );
  }

  /**
   * Closing a period closes its journal-periods (one per journal used in it), but Tryton's
   * `reopen` of the period leaves them closed, and every posting into them is then refused
   * ("closed journal-period"): reopen them too.
   */
  private async reopenJournalPeriods(company: number, period: number): Promise<void> {
    const closed = await this.client.search(
      'account.journal.period',
      [
        ['period', '=', period],
        ['state', '=', 'close'],
      ],
      { company },
    );
    if (closed.length > 0)
      await this.client.execute('account.journal.period', 'reopen', closed, { company });
  }

  /**
   * The fiscal year of `year` with its twelve monthly periods, a post-move sequence and strict
   * invoice sequences (numbers like US01-INV-2026-00001), created when missing.
   */
  async ensureFiscalYear(
    companyCode: string,
    year: number,
    options: { readonly periods?: boolean } = {},
  ): Promise<{ id: number; created: boolean }> {
    const company = await this.company(companyCode);
    return this.exclusive(`fiscalyear:${company.id}:${year}`, () =>
      this.guard(`fiscal year ${year}`, async () => {
        const ctx = { company: company.id };
        const start = TrytonDate.of(year, 1, 1);
        let id = (
          await this.client.search(
            'account.fiscalyear',
            [
              ['company', '=', company.id],
              ['start_date', '=', start],
            ],
            { ...ctx, limit: 1 },
          )
        ).at(0);
        const created = id === undefined;
        if (id === undefined) {
          const moveType = await this.xmlId('account', 'sequence_type_account_move');
          const invoiceType = await this.xmlId('account_invoice', 'sequence_type_account_invoice');
          const strict = async (name: string, prefix: string): Promise<number> => {
            const found = (
              await this.client.search(
                'ir.sequence.strict',
                [
                  ['name', '=', name],
                  ['company', '=', company.id],
                ],
                { ...ctx, limit: 1 },
              )
            ).at(0);
            if (found !== undefined) return found;
            const [sequence] = await this.client.create(
              'ir.sequence.strict',
              [{ name, sequence_type: invoiceType, company: company.id, prefix, padding: 5 }],
              ctx,
            );
            return sequence;
          };
          const code = company.code;
          const [moveSequence] = await this.client.create(
            'ir.sequence',
            [
              {
                name: `${code} Account Move ${year}`,
                sequence_type: moveType,
                company: company.id,
                prefix: `${code}-MOV-${year}-`,
                padding: 5,
              },
            ],
            ctx,
          );
          const sequences = {
            company: company.id,
            out_invoice_sequence: await strict(
              `${code} Customer Invoice ${year}`,
              `${code}-INV-${year}-`,
            ),
            out_credit_note_sequence: await strict(
              `${code} Customer Credit Note ${year}`,
              `${code}-CRN-${year}-`,
            ),
            in_invoice_sequence: await strict(
              `${code} Supplier Invoice ${year}`,
              `${code}-SUP-${year}-`,
            ),
            in_credit_note_sequence: await strict(
              `${code} Supplier Credit Note ${year}`,
              `${code}-SCN-${year}-`,
            ),
          };
          [id] = await this.client.create(
            'account.fiscalyear',
            [
              {
                name: `${code} ${year}`,
                start_date: start,
                end_date: TrytonDate.of(year, 12, 31),
                company: company.id,
                post_move_sequence: moveSequence,
                invoice_sequences: [['create', [sequences]]],
              },
            ],
            ctx,
          );
        }
        if (
          options.periods !== false &&
          (await this.client.searchCount('account.period', [['fiscalyear', '=', id]], ctx)) === 0
        ) {
          await this.client.execute('account.fiscalyear', 'create_period', [id], ctx);
        }
        return { id, created };
      }),
    );
  }

  /**
   * The monthly period (YYYY-MM), made when missing, open: in the fiscal year of its year, which is
   * made (with its sequences, without other periods) when Tryton has none.
   */
  async openPeriod(companyCode: string, period: string): Promise<TrytonPosted<TrytonPeriod>> {
    const company = await this.company(companyCode);
    return this.exclusive(`period:${company.id}:${period}`, () =>
      this.guard(`period ${period}`, async () => {
        const found = await this.period(companyCode, period);
        if (found) return { record: found, created: false };
        const year = Number(period.slice(0, 4));
        const fiscalYear = await this.ensureFiscalYear(companyCode, year, { periods: false });
        await this.client.create(
          'account.period',
          [
            {
              name: period,
              fiscalyear: fiscalYear.id,
              start_date: new TrytonDate(periodStart(period)),
              end_date: new TrytonDate(addDays(periodEnd(period), -1)),
              type: 'standard',
            },
          ],
          { company: company.id },
        );
        this.forget(`periods:${String(company.id)}`);
        return { record: need(await this.period(companyCode, period), period), created: true };
      }),
    );
  }

  // --- parties (customers) -----------------------------------------------------------------------

  async party(companyCode: string, code: string): Promise<TrytonParty | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`customer ${code}`, () => this.readParty(company.id, code));
  }

  private async readParty(company: number, code: string): Promise<TrytonParty | undefined> {
    return this.cached(`party:${String(company)}:${code}`, async () => {
      const row = (
        await this.client.searchRead('party.party', [['code', '=', code]], PARTY_FIELDS, {
          company,
          limit: 1,
        })
      ).at(0);
      return row && partyOf(row, code);
    });
  }

  /** Every party whose code starts with `prefix` (and, given `since`, written or made since then). */
  async parties(companyCode: string, prefix: string, since?: Date): Promise<TrytonParty[]> {
    const company = await this.company(companyCode);
    const rows = await this.guard('reading the customers', () =>
      this.client.searchRead(
        'party.party',
        [['code', 'like', likeStart(prefix)], ...sinceDomain(since)],
        PARTY_FIELDS,
        { company: company.id, order: [['id', 'ASC']] },
      ),
    );
    // LIKE is case-insensitive on SQLite: the prefix must match exactly.
    return rows.map((row) => partyOf(row, '')).filter((party) => party.code.startsWith(prefix));
  }

  /**
   * Find-or-create by party code, then brought up to date (name, address, identifiers, email,
   * payment term in this company). Parties are shared by Tryton's companies.
   */
  async upsertParty(
    companyCode: string,
    input: TrytonPartyInput,
  ): Promise<TrytonPosted<TrytonParty>> {
    const company = await this.company(companyCode);
    return this.exclusive(`party:${input.code}`, () =>
      this.guard(`customer ${input.code}`, async () => {
        const ctx = { company: company.id };
        const country =
          input.address?.country === undefined
            ? undefined
            : await this.countryId(input.address.country);
        const term =
          input.paymentTermDays === undefined
            ? undefined
            : await this.paymentTerm(input.paymentTermDays);
        const currencyTag =
          input.currency === undefined || input.currency === null
            ? undefined
            : await this.findOrCreatePartyCategory(
                input.currency,
                await this.findOrCreatePartyCategory(CURRENCY_TAG_PARENT),
              );
        const addressValues = input.address && {
          street: input.address.street ?? null,
          city: input.address.city ?? null,
          postal_code: input.address.postalCode ?? null,
          country: country ?? null,
        };
        let found = await this.readParty(company.id, input.code);
        let created = false;
        if (!found) {
          try {
            await this.client.create(
              'party.party',
              [
                {
                  code: input.code,
                  name: input.name,
                  // An invoice needs an address; a party made over RPC gets none by default.
                  addresses: [['create', [addressValues ?? {}]]],
                  identifiers: input.identifiers?.length
                    ? [['create', input.identifiers.map((i) => ({ type: i.type, code: i.code }))]]
                    : [],
                  contact_mechanisms: input.email
                    ? [['create', [{ type: 'email', value: input.email }]]]
                    : [],
                  categories: currencyTag === undefined ? [] : [['add', [currencyTag]]],
                  ...(term === undefined ? {} : { customer_payment_term: term }),
                },
              ],
              ctx,
            );
            created = true;
          } catch (error) {
            // Another process created it meanwhile (party.code is unique): use that one.
            if (!(
              error instanceof TrytonUserError &&
              /code on party must be unique/.test(error.userMessage)
            ))
              throw error;
          }
          this.forget('party:');
          found = await this.readParty(company.id, input.code);
          if (!found)
            throw new TrytonErpError('ERP_PROVIDER_ERROR', `customer ${input.code} was not saved`);
          if (created) return { record: found, created };
        }
        const changes: Record<string, unknown> = {};
        if (found.name !== input.name) changes.name = input.name;
        if (term !== undefined && input.paymentTermDays !== found.paymentTermDays) {
          changes.customer_payment_term = term;
        }
        if (addressValues) {
          const current = found.address;
          if (!current) changes.addresses = [['create', [addressValues]]];
          else if (
            (current.street ?? null) !== addressValues.street ||
            (current.city ?? null) !== addressValues.city ||
            (current.postalCode ?? null) !== addressValues.postal_code ||
            (current.country ?? null) !== (input.address.country ?? null)
          ) {
            changes.addresses = [['write', [current.id], addressValues]];
          }
        }
        if (input.identifiers && !sameIdentifiers(found.identifiers, input.identifiers)) {
          const existing = await this.client.search(
            'party.identifier',
            [['party', '=', found.id]],
            ctx,
          );
          changes.identifiers = [
            ['delete', existing],
            ['create', input.identifiers.map((i) => ({ type: i.type, code: i.code }))],
          ];
        }
        if (input.email !== undefined && input.email !== found.email) {
          const existing = await this.client.search(
            'party.contact_mechanism',
            [
              ['party', '=', found.id],
              ['type', '=', 'email'],
            ],
            ctx,
          );
          changes.contact_mechanisms = [
            ['delete', existing],
            ['create', [{ type: 'email', value: input.email }]],
          ];
        }
        if (input.currency !== undefined && (input.currency ?? undefined) !== found.currency) {
          const tags = subs(
            first(
              await this.client.read('party.party', [found.id], ['categories.parent.name'], ctx),
            ) ?? {},
            'categories',
          );
          const stale = tags
            .filter((tag) => str(sub(tag, 'parent') ?? {}, 'name') === CURRENCY_TAG_PARENT)
            .map((tag) => tag.id);
          const actions: unknown[] = [];
          if (stale.length) actions.push(['remove', stale]);
          if (currencyTag !== undefined) actions.push(['add', [currencyTag]]);
          changes.categories = actions;
        }
        if (Object.keys(changes).length > 0) {
          await this.client.write('party.party', [found.id], changes, ctx);
          this.forget('party:');
          found = need(await this.readParty(company.id, input.code), `customer ${input.code}`);
        }
        return { record: found, created };
      }),
    );
  }

  // --- products (items) --------------------------------------------------------------------------

  async product(companyCode: string, code: string): Promise<TrytonProduct | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`item ${code}`, () => this.readProduct(company, code));
  }

  private async readProduct(
    company: TrytonCompany,
    code: string,
  ): Promise<TrytonProduct | undefined> {
    return this.cached(`product:${String(company.id)}:${code}`, async () => {
      const row = (
        await this.client.searchRead(
          'product.product',
          [['suffix_code', '=', code]],
          PRODUCT_FIELDS,
          { company: company.id, limit: 1, order: [['id', 'ASC']] },
        )
      ).at(0);
      return row && productOf(company.code, row, code);
    });
  }

  /**
   * Every item of the company whose code starts with `prefix` (and, given `since`, written or made
   * since then, its template and account category included).
   */
  async products(companyCode: string, prefix: string, since?: Date): Promise<TrytonProduct[]> {
    const company = await this.company(companyCode);
    const rows = await this.guard('reading the items', () =>
      this.client.searchRead(
        'product.product',
        [
          ['suffix_code', 'like', likeStart(prefix)],
          ...sinceDomain(since, ['', 'template.', 'template.account_category.']),
        ],
        PRODUCT_FIELDS,
        { company: company.id, order: [['id', 'ASC']] },
      ),
    );
    return rows.flatMap((row) => {
      const product = productOf(company.code, row, '');
      return product?.code.startsWith(prefix) ? [product] : [];
    });
  }

  /**
   * Find-or-create by suffix code (product.product.code is computed in 6.0; suffix_code is the
   * stored, searchable part, and the template has no code prefix). Each item has an account
   * category of its own ("Item <code>") whose revenue account is per company; its deferred revenue
   * account and tax code, per company, are tag categories on the template.
   */
  async upsertProduct(
    companyCode: string,
    input: TrytonProductInput,
  ): Promise<TrytonPosted<TrytonProduct>> {
    const company = await this.company(companyCode);
    return this.exclusive(`product:${input.code}`, () =>
      this.guard(`item ${input.code}`, async () => {
        const ctx = { company: company.id };
        const accounts = await this.accountIds(
          companyCode,
          [input.revenueAccount, input.deferredRevenueAccount].filter(
            (c): c is string => c !== undefined,
          ),
        );
        const revenue = need(accounts.get(input.revenueAccount), input.revenueAccount).id;
        const before = await this.readProduct(company, input.code);
        const existing = (
          await this.client.searchRead(
            'product.product',
            [['suffix_code', '=', input.code]],
            ['template', 'template.account_category', 'template.categories', 'template.name'],
            {
              ...ctx,
              limit: 1,
              order: [['id', 'ASC']],
            },
          )
        ).at(0);
        const existingTemplate = existing && sub(existing, 'template');
        let category = existingTemplate ? num(existingTemplate, 'account_category') : undefined;
        if (category === undefined) {
          category = await this.findOrCreateCategory(
            `${ITEM_CATEGORY_PREFIX}${input.code}`,
            undefined,
            true,
          );
        }
        const categoryRow = first(
          await this.client.read('product.category', [category], ['account_revenue'], ctx),
        );
        if (categoryRow?.account_revenue !== revenue) {
          await this.client.write(
            'product.category',
            [category],
            { account_revenue: revenue },
            ctx,
          );
        }
        const wantedTags: number[] = [];
        const tagFor = async (parentName: string, value: string | undefined): Promise<void> => {
          if (value === undefined) return;
          const parent = await this.findOrCreateCategory(parentName, undefined, false);
          wantedTags.push(
            await this.findOrCreateCategory(`${company.code} ${value}`, parent, false),
          );
        };
        await tagFor(TAG_PARENT.legalEntity, ITEM_TAG);
        await tagFor(TAG_PARENT.deferredRevenueAccount, input.deferredRevenueAccount);
        await tagFor(TAG_PARENT.taxCode, input.taxCode);

        if (!existing || !existingTemplate) {
          await this.client.create(
            'product.template',
            [
              {
                name: input.name,
                type: 'service',
                default_uom: await this.unit(),
                list_price: ZERO,
                account_category: category,
                categories: wantedTags.length ? [['add', wantedTags]] : [],
                products: [['create', [{ suffix_code: input.code }]]],
              },
            ],
            ctx,
          );
        } else {
          const templateId = need(num(existing, 'template'), `template of ${input.code}`);
          const current = ids(existingTemplate, 'categories');
          const tags = await this.client.read(
            'product.category',
            current,
            ['name', 'parent.name'],
            ctx,
          );
          // This company's tags that are no longer wanted (another company's stay).
          const stale = tags
            .filter(
              (t) =>
                Object.values(TAG_PARENT).includes(
                  str(
                    sub(t, 'parent') ?? {},
                    'name',
                  ) as (typeof TAG_PARENT)[keyof typeof TAG_PARENT],
                ) &&
                str(t, 'name')?.startsWith(`${company.code} `) &&
                !wantedTags.includes(t.id),
            )
            .map((t) => t.id);
          const missing = wantedTags.filter((id) => !current.includes(id));
          const changes: Record<string, unknown> = {};
          if (str(existingTemplate, 'name') !== input.name) changes.name = input.name;
          if (num(existingTemplate, 'account_category') !== category)
            changes.account_category = category;
          const categoryActions: unknown[] = [];
          if (stale.length) categoryActions.push(['remove', stale]);
          if (missing.length) categoryActions.push(['add', missing]);
          if (categoryActions.length) changes.categories = categoryActions;
          if (Object.keys(changes).length)
            await this.client.write('product.template', [templateId], changes, ctx);
        }
        this.forget('product:');
        const record = await this.readProduct(company, input.code);
        if (!record)
          throw new TrytonErpError('ERP_PROVIDER_ERROR', `item ${input.code} was not saved`);
        return { record, created: before === undefined };
      }),
    );
  }

  private findOrCreateCategory(
    name: string,
    parent: number | undefined,
    accounting: boolean,
  ): Promise<number> {
    return this.findOrCreateTag('product.category', name, parent, { accounting });
  }

  /** A party category (a tag) by name under `parent` (or at the top), made when missing. */
  private findOrCreatePartyCategory(name: string, parent?: number): Promise<number> {
    return this.findOrCreateTag('party.category', name, parent);
  }

  private async findOrCreateTag(
    model: 'product.category' | 'party.category',
    name: string,
    parent: number | undefined,
    values: Readonly<Record<string, unknown>> = {},
  ): Promise<number> {
    const found = (
      await this.client.search(
        model,
        [
          ['name', '=', name],
          ['parent', '=', parent ?? null],
        ],
        { limit: 1, order: [['id', 'ASC']] },
      )
    ).at(0);
    if (found !== undefined) return found;
    const [id] = await this.client.create(model, [{ ...values, name, parent: parent ?? null }]);
    return id;
  }

  // --- invoices and credit notes -----------------------------------------------------------------

  /** The posted (or paid) invoice or credit note with this reference, or a leftover draft. */
  async invoice(
    companyCode: string,
    kind: TrytonInvoiceKind,
    reference: string,
  ): Promise<TrytonInvoice | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`invoice ${reference}`, () => this.findInvoice(company, kind, reference));
  }

  private async findInvoice(
    company: TrytonCompany,
    kind: TrytonInvoiceKind,
    reference: string,
  ): Promise<TrytonInvoice | undefined> {
    const found = await this.client.search(
      'account.invoice',
      [
        ['company', '=', company.id],
        ['type', '=', 'out'],
        ['reference', '=', reference],
        ['state', '!=', 'cancelled'],
      ],
      { company: company.id, order: [['id', 'ASC']] },
    );
    for (const invoice of await this.readInvoices(company, found)) {
      if (invoice.kind === kind) return invoice;
    }
    return undefined;
  }

  private async readInvoices(
    company: TrytonCompany,
    invoiceIds: readonly number[],
  ): Promise<TrytonInvoice[]> {
    const ctx = { company: company.id };
    const rows = await this.client.read(
      'account.invoice',
      invoiceIds,
      [
        'reference',
        'number',
        'state',
        'party.code',
        'currency.code',
        'invoice_date',
        'description',
        'comment',
        'untaxed_amount',
        'tax_amount',
        'total_amount',
        'amount_to_pay',
        'move.period.start_date',
        'lines.account.code',
        'lines.product.suffix_code',
        'lines.description',
        'lines.quantity',
        'lines.unit_price',
        'lines.amount',
        'taxes.account.code',
        'taxes.description',
        'taxes.base',
        'taxes.amount',
        'lines_to_pay.maturity_date',
        'move.lines.account.code',
        'move.lines.debit',
        'move.lines.credit',
        'move.lines.description',
        'move.lines.party.code',
        'move.lines.origin',
        'payment_lines.debit',
        'payment_lines.credit',
        'payment_lines.move.journal.code',
        ...STAMP_FIELDS,
      ],
      ctx,
    );
    // Deferral moves (origin the invoice, not its own move): where each deferred line's revenue went.
    const lineRefs = rows.flatMap((row) =>
      subs(row, 'lines').map((line) => `${INVOICE_LINE_ORIGIN}${String(line.id)}`),
    );
    const ownMoves = rows.flatMap((row) => {
      const id = num(sub(row, 'move') ?? {}, 'id');
      return id === undefined ? [] : [id];
    });
    const deferredTo = new Map<number, string>();
    if (lineRefs.length > 0) {
      const deferrals = await this.client.searchRead(
        'account.move.line',
        [
          ['origin', 'in', lineRefs],
          ['move', 'not in', ownMoves],
          ['move.state', '=', 'posted'],
        ],
        ['origin', 'account.code', 'account.type.revenue'],
        ctx,
      );
      for (const line of deferrals) {
        const invoiceLine = invoiceLineOf(line.origin);
        const account = sub(line, 'account') ?? {};
        const revenue = sub(account, 'type') ?? {};
        // The pair's other side is on the revenue account the line was invoiced to.
        if (invoiceLine === undefined || revenue.revenue === true || revenue.revenue === 1)
          continue;
        const code = str(account, 'code');
        if (code !== undefined) deferredTo.set(invoiceLine, code);
      }
    }
    const invoices: TrytonInvoice[] = [];
    for (const row of rows) {
      const currency = str(sub(row, 'currency') ?? {}, 'code') ?? company.currency;
      const notes = readNotes(str(row, 'comment'));
      const total = dec(row, 'total_amount');
      const kind: TrytonInvoiceKind =
        notes.kind ?? (total.isNegative() ? 'credit_note' : 'invoice');
      const sign = kind === 'credit_note' ? -1 : 1;
      const lines = subs(row, 'lines');
      const taxes = subs(row, 'taxes');
      const move = sub(row, 'move');
      const moveId = move && num(move, 'id');
      const periodStart = move && dateOf(sub(move, 'period') ?? {}, 'start_date');
      const toPay = subs(row, 'lines_to_pay');
      // Credit notes join an invoice's payment lines from the revenue journal, payments from others.
      let credited = ZERO;
      let paid = ZERO;
      for (const line of subs(row, 'payment_lines')) {
        const amount = dec(line, 'credit').minus(dec(line, 'debit'));
        const journal = str(sub(sub(line, 'move') ?? {}, 'journal') ?? {}, 'code');
        if (journal === JOURNAL.revenue) credited = credited.plus(amount);
        else paid = paid.plus(amount);
      }
      invoices.push({
        ...stampsOf(row),
        id: row.id,
        reference: str(row, 'reference') ?? '',
        kind,
        number: str(row, 'number'),
        state: (str(row, 'state') ?? 'draft') as TrytonInvoice['state'],
        partyCode: str(sub(row, 'party') ?? {}, 'code') ?? '',
        currency,
        date: dateOf(row, 'invoice_date') ?? '',
        period: periodStart?.slice(0, 7),
        description: str(row, 'description'),
        fingerprint: notes.fingerprint,
        appliesTo: notes.appliesTo,
        details: notes.details,
        untaxedAmount: money(dec(row, 'untaxed_amount').times(sign), currency),
        taxAmount: money(dec(row, 'tax_amount').times(sign), currency),
        totalAmount: money(total.times(sign), currency),
        amountToPay: money(dec(row, 'amount_to_pay').times(sign), currency),
        dueDate: toPay.length ? dateOf(toPay[0] ?? {}, 'maturity_date') : undefined,
        moveId,
        lines: lines.map((line): TrytonInvoiceLine => ({
          id: line.id,
          accountCode: str(sub(line, 'account') ?? {}, 'code') ?? '',
          ...(deferredTo.has(line.id) ? { deferredAccountCode: deferredTo.get(line.id) } : {}),
          productCode: str(sub(line, 'product') ?? {}, 'suffix_code'),
          description: str(line, 'description'),
          quantity: dec(line, 'quantity').times(sign).toFixed(),
          unitPrice: dec(line, 'unit_price').toFixed(),
          amount: money(dec(line, 'amount').times(sign), currency),
        })),
        taxes: taxes.map((tax): TrytonInvoiceTax => ({
          accountCode: str(sub(tax, 'account') ?? {}, 'code') ?? '',
          description: str(tax, 'description') ?? '',
          base: money(dec(tax, 'base').times(sign), currency),
          amount: money(dec(tax, 'amount').times(sign), currency),
        })),
        moveLines: subs(move ?? {}, 'lines').map((line) => moveLineOf(line, company.currency)),
        credited: money(kind === 'invoice' ? credited : ZERO, currency),
        paid: money(kind === 'invoice' ? paid : ZERO, currency),
      });
    }
    return invoices;
  }

  /**
   * Posts a customer invoice or credit note, find-or-create on (reference, kind): the same content
   * again returns the first posting (`created: false`), other content is ERP_EXTERNAL_ID_CONFLICT.
   * A leftover draft of an interrupted attempt is posted when it says the same, replaced otherwise.
   * Tax amounts go in as given (manual tax lines). A credit note with `appliesTo` lowers that
   * invoice's amount to pay, and both are reconciled once nothing is left to pay.
   */
  async postInvoice(
    companyCode: string,
    input: TrytonInvoiceInput,
  ): Promise<TrytonPosted<TrytonInvoice>> {
    const company = await this.company(companyCode);
    return this.exclusive(`invoice:${company.id}:${input.reference}`, () =>
      this.guard(`invoice ${input.reference}`, async () => {
        const ctx = { company: company.id };
        const sign = input.kind === 'credit_note' ? -1 : 1;
        const existing = await this.findInvoice(company, input.kind, input.reference);
        if (existing && (existing.state === 'posted' || existing.state === 'paid')) {
          const difference = invoiceDifference(existing, input);
          if (difference) {
            this.logger.warn(
              `invoice ${input.reference}: posted with other content (${difference})`,
            );
            throw new TrytonErpError(
              'ERP_EXTERNAL_ID_CONFLICT',
              `invoice ${input.reference} was posted with other content`,
            );
          }
          return this.finish(company, existing, input);
        }

        // Everything Tryton would refuse later, checked before anything is written.
        const currency = await this.currencyId(input.currency);
        const party = await this.readParty(company.id, input.partyCode);
        if (!party)
          throw new TrytonErpError(
            'ERP_CUSTOMER_NOT_FOUND',
            `customer ${input.partyCode} is not in Tryton`,
          );
        const accounts = await this.accountIds(companyCode, [
          ...input.lines.map((line) => line.accountCode),
          ...(input.taxes ?? []).map((tax) => tax.accountCode),
        ]);
        const products = new Map<string, number>();
        for (const code of new Set(
          input.lines.flatMap((line) => (line.productCode ? [line.productCode] : [])),
        )) {
          const product = await this.readProduct(company, code);
          if (!product)
            throw new TrytonErpError(
              'ERP_ITEM_NOT_FOUND',
              `item ${code} is not in Tryton for ${companyCode}`,
            );
          products.set(code, product.id);
        }
        await this.postingPeriod(companyCode, input.date);
        const receivable = await this.defaultReceivable(company.id);
        const target = input.appliesTo ? await this.creditTarget(company, input) : undefined;

        let invoiceId = existing?.id;
        if (existing && invoiceDifference(existing, input)) {
          await this.client.delete('account.invoice', [existing.id], ctx);
          invoiceId = undefined;
        }
        if (invoiceId === undefined) {
          const unit = await this.unit();
          const values: Record<string, unknown> = {
            type: 'out',
            company: company.id,
            currency,
            party: party.id,
            invoice_address: party.address?.id,
            account: receivable,
            journal: await this.journal(JOURNAL.revenue),
            invoice_date: new TrytonDate(input.date),
            reference: input.reference,
            description: input.description ?? null,
            comment: writeNotes({
              kind: input.kind,
              appliesTo: input.appliesTo,
              fingerprint: input.fingerprint,
              details: input.details,
            }),
            lines: [
              [
                'create',
                input.lines.map((line) => {
                  const shape = trytonLineShape(line.quantity, line.amount, input.currency);
                  const product = line.productCode ? products.get(line.productCode) : undefined;
                  return {
                    type: 'line',
                    company: company.id,
                    currency,
                    account: need(accounts.get(line.accountCode), line.accountCode).id,
                    ...(product === undefined ? {} : { product, unit }),
                    description: line.description ?? null,
                    quantity: shape.quantity.times(sign).toNumber(),
                    unit_price: shape.unitPrice,
                  };
                }),
              ],
            ],
            taxes: input.taxes?.length
              ? [
                  [
                    'create',
                    input.taxes.map((tax) => ({
                      manual: true,
                      account: need(accounts.get(tax.accountCode), tax.accountCode).id,
                      description: tax.description,
                      base: D(tax.base).times(sign),
                      amount: D(tax.amount).times(sign),
                    })),
                  ],
                ]
              : [],
          };
          if (input.dueDate !== undefined) {
            // Due on receipt, counted from the due date: the receivable matures on it.
            values.payment_term = await this.paymentTerm(0);
            values.payment_term_date = new TrytonDate(input.dueDate);
          } else if (party.paymentTermDays === undefined) {
            values.payment_term = await this.paymentTerm(0);
          } else {
            values.payment_term = await this.paymentTerm(party.paymentTermDays);
          }
          [invoiceId] = await this.client.create('account.invoice', [values], ctx);
        }
        try {
          await this.postWithWarnings('account.invoice', invoiceId, company.id);
        } catch (error) {
          // Leave nothing behind: the draft goes (unless Tryton did post it after all).
          const state = first(
            await this.client.read('account.invoice', [invoiceId], ['state'], ctx).catch(() => []),
          );
          if (state?.state === 'draft' || state?.state === 'validated') {
            await this.client
              .delete('account.invoice', [invoiceId], ctx)
              .catch((cleanup: unknown) => {
                this.logger.warn(
                  `invoice ${input.reference}: draft ${String(invoiceId)} not deleted: ${String(cleanup)}`,
                );
              });
          }
          throw error;
        }
        const posted = need((await this.readInvoices(company, [invoiceId])).at(0), input.reference);
        if (target) await this.applyCreditNote(company, posted, target.reference);
        await this.ensureDeferral(company, posted, input);
        return {
          record: need((await this.readInvoices(company, [invoiceId])).at(0), input.reference),
          created: true,
        };
      }),
    );
  }

  /**
   * For a posting its caller already found posted with the same content (its own comparison):
   * finishes what an interrupted attempt may have left undone — a credit note applied to its
   * invoice, the deferral move made — and gives the invoice as it is now. Nothing is compared.
   */
  async finishInvoice(
    companyCode: string,
    input: TrytonInvoiceInput,
  ): Promise<TrytonPosted<TrytonInvoice>> {
    const company = await this.company(companyCode);
    return this.exclusive(`invoice:${company.id}:${input.reference}`, () =>
      this.guard(`invoice ${input.reference}`, async () => {
        const existing = await this.findInvoice(company, input.kind, input.reference);
        if (!existing || (existing.state !== 'posted' && existing.state !== 'paid'))
          throw new TrytonErpError(
            'ERP_PROVIDER_ERROR',
            `invoice ${input.reference} is not posted`,
          );
        return this.finish(company, existing, input);
      }),
    );
  }

  /** A posted invoice's follow-ups (credit applied, deferral move), then the invoice as it is now. */
  private async finish(
    company: TrytonCompany,
    existing: TrytonInvoice,
    input: TrytonInvoiceInput,
  ): Promise<TrytonPosted<TrytonInvoice>> {
    if (input.appliesTo) await this.applyCreditNote(company, existing, input.appliesTo);
    await this.ensureDeferral(company, existing, input);
    return {
      record: need(await this.findInvoice(company, input.kind, input.reference), input.reference),
      created: false,
    };
  }

  /**
   * The deferral move of an invoice whose lines defer their revenue (deferredAccountCode): in the
   * revenue journal, dated as the invoice, origin the invoice, one pair of lines per deferred line
   * (origin that line) taking its amount off the revenue account it was invoiced to and onto the
   * deferred account — reversed for a credit note. Made once: a retry makes it when an interrupted
   * attempt had not (a leftover draft is replaced).
   */
  private async ensureDeferral(
    company: TrytonCompany,
    invoice: TrytonInvoice,
    input: TrytonInvoiceInput,
  ): Promise<void> {
    const deferred = input.lines.flatMap((line, i) => {
      const posted = invoice.lines.at(i);
      return line.deferredAccountCode === undefined || !posted
        ? []
        : [{ posted, account: line.deferredAccountCode }];
    });
    if (deferred.length === 0 || deferred.every((d) => d.posted.deferredAccountCode !== undefined))
      return;
    const ctx = { company: company.id };
    const drafts = await this.client.search(
      'account.move',
      [
        ['origin', '=', `account.invoice,${String(invoice.id)}`],
        ['state', '=', 'draft'],
      ],
      ctx,
    );
    if (drafts.length > 0) await this.client.delete('account.move', drafts, ctx);
    const accounts = await this.accountIds(company.code, [
      ...deferred.map((d) => d.account),
      ...deferred.map((d) => d.posted.accountCode),
    ]);
    const party = await this.readParty(company.id, invoice.partyCode);
    const out = invoice.kind === 'invoice';
    const lines = deferred.flatMap(({ posted, account }) => {
      const amount = D(posted.amount);
      const side = (debit: boolean): { debit: typeof amount; credit: typeof amount } =>
        debit ? { debit: amount, credit: ZERO } : { debit: ZERO, credit: amount };
      const line = (code: string, debit: boolean): Record<string, unknown> => {
        const target = need(accounts.get(code), code);
        return {
          account: target.id,
          ...side(debit),
          description: posted.description ?? null,
          origin: `${INVOICE_LINE_ORIGIN}${String(posted.id)}`,
          party: target.partyRequired ? (party?.id ?? null) : null,
        };
      };
      return [line(posted.accountCode, out), line(account, !out)];
    });
    await this.createAndPostMove(company, {
      journal: JOURNAL.revenue,
      date: invoice.date,
      description: `${invoice.reference} deferral`,
      origin: `account.invoice,${String(invoice.id)}`,
      lines,
    });
  }

  /** The invoice a credit note applies to, checked: same customer and currency, enough left to pay. */
  private async creditTarget(
    company: TrytonCompany,
    input: TrytonInvoiceInput,
  ): Promise<TrytonInvoice> {
    const target = await this.findInvoice(company, 'invoice', input.appliesTo ?? '');
    if (!target || (target.state !== 'posted' && target.state !== 'paid')) {
      throw new TrytonErpError(
        'ERP_INVOICE_NOT_FOUND',
        `invoice ${input.appliesTo ?? ''} is not posted in Tryton`,
      );
    }
    if (target.partyCode !== input.partyCode || target.currency !== input.currency) {
      throw new TrytonErpError(
        'ERP_INVOICE_MISMATCH',
        `invoice ${input.appliesTo ?? ''} is for another customer or currency`,
      );
    }
    const total = input.lines
      .reduce((sum, line) => sum.plus(line.amount), ZERO)
      .plus((input.taxes ?? []).reduce((sum, tax) => sum.plus(tax.amount), ZERO));
    if (total.gt(target.amountToPay)) {
      throw new TrytonErpError(
        'ERP_EXCEEDS_AMOUNT_DUE',
        `the credit exceeds what is left to pay on invoice ${input.appliesTo ?? ''}`,
      );
    }
    return target;
  }

  /** Invoices and credit notes by Tryton id (of any company: filter by `company` first). */
  async invoicesById(companyCode: string, invoiceIds: readonly number[]): Promise<TrytonInvoice[]> {
    const company = await this.company(companyCode);
    return this.guard('reading invoices', () => this.readInvoices(company, invoiceIds));
  }

  /**
   * The company's posted customer invoices and credit notes with a reference, as ids with their
   * kind and stamps (for lists: the page is read with invoicesById).
   */
  async invoiceStamps(
    companyCode: string,
    filter: {
      readonly partyCode?: string;
      /** invoice dates from / to, YYYY-MM-DD */
      readonly from?: string;
      readonly to?: string;
      readonly state?: 'posted' | 'paid';
      readonly since?: Date;
    } = {},
  ): Promise<(TrytonStamps & { readonly id: number; readonly kind: TrytonInvoiceKind })[]> {
    const company = await this.company(companyCode);
    const domain: unknown[] = [
      ['company', '=', company.id],
      ['type', '=', 'out'],
      ['reference', '!=', null],
      filter.state ? ['state', '=', filter.state] : ['state', 'in', ['posted', 'paid']],
      ...sinceDomain(filter.since),
    ];
    if (filter.partyCode !== undefined) domain.push(['party.code', '=', filter.partyCode]);
    if (filter.from !== undefined) domain.push(['invoice_date', '>=', new TrytonDate(filter.from)]);
    if (filter.to !== undefined) domain.push(['invoice_date', '<=', new TrytonDate(filter.to)]);
    const rows = await this.guard('reading invoices', () =>
      this.client.searchRead(
        'account.invoice',
        domain,
        ['comment', 'total_amount', ...STAMP_FIELDS],
        { company: company.id, order: [['id', 'ASC']] },
      ),
    );
    return rows.map((row) => ({
      ...stampsOf(row),
      id: row.id,
      kind:
        readNotes(str(row, 'comment')).kind ??
        (dec(row, 'total_amount').isNegative() ? 'credit_note' : 'invoice'),
    }));
  }

  /** Puts the credit note's receivable line on the invoice (once); reconciles when nothing is left. */
  private async applyCreditNote(
    company: TrytonCompany,
    creditNote: TrytonInvoice,
    invoiceReference: string,
  ): Promise<void> {
    const ctx = { company: company.id };
    const row = first(
      await this.client.read('account.invoice', [creditNote.id], ['lines_to_pay'], ctx),
    );
    const lines = ids(row ?? {}, 'lines_to_pay');
    const invoice = await this.findInvoice(company, 'invoice', invoiceReference);
    if (!invoice)
      throw new TrytonErpError(
        'ERP_INVOICE_NOT_FOUND',
        `invoice ${invoiceReference} is not in Tryton`,
      );
    await this.applyLines(company.id, invoice.id, lines);
  }

  /** Adds move lines to an invoice's payment lines unless there already; reconciles a settled invoice. */
  private async applyLines(
    company: number,
    invoiceId: number,
    lineIds: readonly number[],
  ): Promise<void> {
    const ctx = { company };
    const invoice = first(
      await this.client.read(
        'account.invoice',
        [invoiceId],
        ['payment_lines', 'lines_to_pay', 'state'],
        ctx,
      ),
    );
    if (!invoice) return;
    const applied = new Set(ids(invoice, 'payment_lines'));
    const lines = await this.client.read('account.move.line', lineIds, ['reconciliation'], ctx);
    const missing = lines
      .filter((line) => !applied.has(line.id) && line.reconciliation === null)
      .map((line) => line.id);
    if (missing.length > 0 && invoice.state === 'posted') {
      await this.client.write(
        'account.invoice',
        [invoiceId],
        { payment_lines: [['add', missing]] },
        ctx,
      );
    }
    const after = first(
      await this.client.read(
        'account.invoice',
        [invoiceId],
        ['amount_to_pay', 'payment_lines', 'lines_to_pay', 'state'],
        ctx,
      ),
    );
    if (!after || after.state !== 'posted' || !dec(after, 'amount_to_pay').isZero()) return;
    const candidates = await this.client.read(
      'account.move.line',
      [...ids(after, 'lines_to_pay'), ...ids(after, 'payment_lines')],
      ['reconciliation'],
      ctx,
    );
    const open = candidates.filter((line) => line.reconciliation === null).map((line) => line.id);
    if (open.length > 1) {
      await this.client.runWizard(
        'account.move.reconcile_lines',
        { model: 'account.move.line', ids: open },
        {},
        'start',
        {
          company,
        },
      );
    }
  }

  // --- payments ----------------------------------------------------------------------------------

  async payment(companyCode: string, externalId: string): Promise<TrytonPayment | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`payment ${externalId}`, async () => {
      const move = await this.findMove(company, JOURNAL.cash, externalId);
      return move && this.paymentOf(company, move);
    });
  }

  /**
   * A customer payment: one move in the cash journal (Dr cash; Cr receivable per invoice applied,
   * and for what is left unapplied), found by the external id its description starts with. Each
   * receivable line joins its invoice's payment lines, and a settled invoice is reconciled (state
   * paid). A retry re-applies what an interrupted attempt had not.
   */
  async postPayment(
    companyCode: string,
    input: TrytonPaymentInput,
  ): Promise<TrytonPosted<TrytonPayment>> {
    const company = await this.company(companyCode);
    return this.exclusive(`payment:${company.id}:${input.externalId}`, () =>
      this.guard(`payment ${input.externalId}`, async () => {
        const cashCode = input.cashAccount ?? DEFAULT_CASH_ACCOUNT;
        const existing = await this.findMove(company, JOURNAL.cash, input.externalId);
        if (existing && existing.state === 'posted') {
          const found = await this.paymentOf(company, existing);
          const difference = paymentDifference(found, input, cashCode);
          if (difference) {
            this.logger.warn(
              `payment ${input.externalId}: posted with other content (${difference})`,
            );
            throw new TrytonErpError(
              'ERP_EXTERNAL_ID_CONFLICT',
              `payment ${input.externalId} was posted with other content`,
            );
          }
          await this.applyPaymentMove(company, existing.id);
          return { record: await this.paymentOf(company, existing), created: false };
        }
        if (input.currency !== company.currency) {
          throw new TrytonErpError(
            'ERP_CURRENCY_NOT_ALLOWED',
            `payments are taken in ${company.currency}, the currency of ${companyCode}`,
          );
        }
        await this.currencyId(input.currency);
        const party = await this.readParty(company.id, input.partyCode);
        if (!party)
          throw new TrytonErpError(
            'ERP_CUSTOMER_NOT_FOUND',
            `customer ${input.partyCode} is not in Tryton`,
          );
        const amount = D(input.amount);
        const applied = input.applications.reduce((sum, a) => sum.plus(a.amount), ZERO);
        if (amount.lte(0) || input.applications.some((a) => D(a.amount).lte(0))) {
          throw new TrytonErpError(
            'ERP_PROVIDER_ERROR',
            'a payment and each application must be positive',
          );
        }
        if (applied.gt(amount)) {
          throw new TrytonErpError(
            'ERP_EXCEEDS_AMOUNT_DUE',
            'the applications add up to more than the payment',
          );
        }
        const references = new Set<string>();
        for (const application of input.applications) {
          if (references.has(application.invoiceReference)) {
            throw new TrytonErpError(
              'ERP_PROVIDER_ERROR',
              `invoice ${application.invoiceReference} is applied twice`,
            );
          }
          references.add(application.invoiceReference);
          const invoice = await this.findInvoice(company, 'invoice', application.invoiceReference);
          if (!invoice || invoice.state !== 'posted') {
            throw new TrytonErpError(
              invoice?.state === 'paid' ? 'ERP_EXCEEDS_AMOUNT_DUE' : 'ERP_INVOICE_NOT_FOUND',
              `invoice ${application.invoiceReference} is not open in Tryton`,
            );
          }
          if (invoice.partyCode !== input.partyCode || invoice.currency !== input.currency) {
            throw new TrytonErpError(
              'ERP_INVOICE_MISMATCH',
              `invoice ${application.invoiceReference} is for another customer or currency`,
            );
          }
          if (D(application.amount).gt(invoice.amountToPay)) {
            throw new TrytonErpError(
              'ERP_EXCEEDS_AMOUNT_DUE',
              `more is applied than is left to pay on invoice ${application.invoiceReference}`,
            );
          }
        }
        const accounts = await this.accountIds(companyCode, [cashCode]);
        const receivable = await this.defaultReceivable(company.id);
        const unapplied = amount.minus(applied);
        const lines = [
          {
            accountCode: cashCode,
            account: need(accounts.get(cashCode), cashCode).id,
            debit: amount,
            credit: ZERO,
            description: input.memo,
          },
          ...input.applications.map((a) => ({
            account: receivable,
            debit: ZERO,
            credit: D(a.amount),
            description: a.invoiceReference,
            party: party.id,
          })),
          ...(unapplied.gt(0)
            ? [
                {
                  account: receivable,
                  debit: ZERO,
                  credit: unapplied,
                  description: UNAPPLIED,
                  party: party.id,
                },
              ]
            : []),
        ];
        const moveId = await this.createAndPostMove(company, {
          journal: JOURNAL.cash,
          date: input.date,
          description: moveDescription(input.externalId, input.memo),
          lines: lines.map((line) => ({
            account: line.account,
            debit: line.debit,
            credit: line.credit,
            description: line.description ?? null,
            party: 'party' in line ? line.party : null,
          })),
          existingDraft: existing?.id,
        });
        await this.applyPaymentMove(company, moveId);
        const move = await this.readMove(company, moveId);
        return {
          record: await this.paymentOf(company, need(move, `move ${String(moveId)}`)),
          created: true,
        };
      }),
    );
  }

  /** Applies each receivable line of a payment move to the invoice its description names. */
  private async applyPaymentMove(company: TrytonCompany, moveId: number): Promise<void> {
    const ctx = { company: company.id };
    const lines = await this.client.searchRead(
      'account.move.line',
      [
        ['move', '=', moveId],
        ['party', '!=', null],
      ],
      ['description', 'credit'],
      ctx,
    );
    for (const line of lines) {
      const reference = str(line, 'description');
      if (!reference || reference === UNAPPLIED) continue;
      const invoice = await this.findInvoice(company, 'invoice', reference);
      if (invoice) await this.applyLines(company.id, invoice.id, [line.id]);
    }
  }

  private async paymentOf(company: TrytonCompany, move: TrytonMove): Promise<TrytonPayment> {
    const cash = move.lines.find((line) => !line.partyCode);
    const receivables = move.lines.filter((line) => line.partyCode);
    const applications = [];
    for (const line of receivables.filter((l) => l.description !== UNAPPLIED)) {
      const invoice = line.description
        ? await this.findInvoice(company, 'invoice', line.description)
        : undefined;
      applications.push({
        invoiceReference: line.description ?? '',
        amount: line.credit,
        invoiceAmountToPay: invoice?.amountToPay ?? money(ZERO, company.currency),
        invoiceState: invoice?.state ?? 'cancelled',
      });
    }
    const unapplied = receivables
      .filter((l) => l.description === UNAPPLIED)
      .reduce((sum, l) => sum.plus(l.credit), ZERO);
    return {
      createdAt: move.createdAt,
      updatedAt: move.updatedAt,
      moveId: move.id,
      externalId: move.externalId,
      memo: move.memo,
      number: move.number,
      date: move.date,
      period: move.period,
      partyCode: receivables[0]?.partyCode ?? '',
      currency: company.currency,
      amount: cash?.debit ?? money(ZERO, company.currency),
      cashAccount: cash?.accountCode ?? '',
      applications,
      unapplied: money(unapplied, company.currency),
      lines: move.lines,
    };
  }

  // --- journal entries ---------------------------------------------------------------------------

  /** A move by Tryton's id: the entry an invoice, credit note or payment made (its `moveId`). */
  async move(companyCode: string, moveId: number): Promise<TrytonMove | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`move ${String(moveId)}`, async () =>
      (await this.client.searchCount('account.move', [
        ['id', '=', moveId],
        ['company', '=', company.id],
      ])) === 0
        ? undefined
        : this.readMove(company, moveId),
    );
  }

  /**
   * The company's posted moves of a journal ('cash': payments, 'general': journal entries) that
   * carry an external id, as ids with their stamps (for lists: the page is read by id).
   */
  async moveStamps(
    companyCode: string,
    journal: 'cash' | 'general',
    filter: {
      readonly partyCode?: string;
      readonly from?: string;
      readonly to?: string;
      readonly since?: Date;
    } = {},
  ): Promise<(TrytonStamps & { readonly id: number })[]> {
    const company = await this.company(companyCode);
    const rows = await this.guard('reading moves', async () => {
      const domain: unknown[] = [
        ['company', '=', company.id],
        ['journal', '=', await this.journal(JOURNAL[journal])],
        ['state', '=', 'posted'],
        ['description', '!=', null],
        ...sinceDomain(filter.since),
      ];
      if (filter.partyCode !== undefined) domain.push(['lines.party.code', '=', filter.partyCode]);
      if (filter.from !== undefined) domain.push(['date', '>=', new TrytonDate(filter.from)]);
      if (filter.to !== undefined) domain.push(['date', '<=', new TrytonDate(filter.to)]);
      return this.client.searchRead('account.move', domain, [...STAMP_FIELDS], {
        company: company.id,
        order: [['id', 'ASC']],
      });
    });
    return rows.map((row) => ({ ...stampsOf(row), id: row.id }));
  }

  /** Journal entries (or any moves) by Tryton id. */
  async movesById(companyCode: string, moveIds: readonly number[]): Promise<TrytonMove[]> {
    const company = await this.company(companyCode);
    return this.guard('reading moves', () => this.readMoves(company, moveIds));
  }

  /** Payments by the Tryton id of their move. */
  async paymentsById(companyCode: string, moveIds: readonly number[]): Promise<TrytonPayment[]> {
    const company = await this.company(companyCode);
    return this.guard('reading payments', async () => {
      const payments: TrytonPayment[] = [];
      for (const move of await this.readMoves(company, moveIds))
        payments.push(await this.paymentOf(company, move));
      return payments;
    });
  }

  async journalEntry(companyCode: string, externalId: string): Promise<TrytonMove | undefined> {
    const company = await this.company(companyCode);
    return this.guard(`journal entry ${externalId}`, () =>
      this.findMove(company, JOURNAL.general, externalId),
    );
  }

  /**
   * A balanced journal entry: an account.move in the MISC journal whose description starts with the
   * external id (moves have no reference field in 6.0), posted. Same content again returns the first
   * (`created: false`); other content is ERP_EXTERNAL_ID_CONFLICT.
   */
  async postJournalEntry(
    companyCode: string,
    input: TrytonJournalEntryInput,
  ): Promise<TrytonPosted<TrytonMove>> {
    const company = await this.company(companyCode);
    return this.exclusive(`move:${company.id}:${input.externalId}`, () =>
      this.guard(`journal entry ${input.externalId}`, async () => {
        const existing = await this.findMove(company, JOURNAL.general, input.externalId);
        if (existing && existing.state === 'posted') {
          const partyRequired = new Set(
            (await this.accounts(companyCode)).filter((a) => a.partyRequired).map((a) => a.code),
          );
          const difference = moveDifference(existing, input, company.currency, partyRequired);
          if (difference) {
            this.logger.warn(
              `journal entry ${input.externalId}: posted with other content (${difference})`,
            );
            throw new TrytonErpError(
              'ERP_EXTERNAL_ID_CONFLICT',
              `journal entry ${input.externalId} was posted with other content`,
            );
          }
          return { record: existing, created: false };
        }
        let debit = ZERO;
        let credit = ZERO;
        for (const line of input.lines) {
          const d = D(line.debit ?? 0);
          const c = D(line.credit ?? 0);
          if (d.isNegative() || c.isNegative() || d.gt(0) === c.gt(0)) {
            throw new TrytonErpError(
              'ERP_JOURNAL_UNBALANCED',
              'each line needs either a debit or a credit, positive',
            );
          }
          debit = debit.plus(d);
          credit = credit.plus(c);
        }
        if (input.lines.length < 2 || !debit.equals(credit)) {
          throw new TrytonErpError('ERP_JOURNAL_UNBALANCED', 'the debits do not equal the credits');
        }
        if (input.currency !== company.currency) {
          throw new TrytonErpError(
            'ERP_CURRENCY_NOT_ALLOWED',
            `journal entries of ${companyCode} are in ${company.currency}`,
          );
        }
        const accounts = await this.accountIds(
          companyCode,
          input.lines.map((line) => line.accountCode),
        );
        const parties = new Map<string, number>();
        for (const line of input.lines) {
          const account = need(accounts.get(line.accountCode), line.accountCode);
          if (line.partyCode === undefined) {
            if (account.partyRequired) {
              throw new TrytonErpError(
                'ERP_CUSTOMER_NOT_FOUND',
                `account ${line.accountCode} needs a customer on its lines`,
              );
            }
            continue;
          }
          if (!parties.has(line.partyCode)) {
            const party = await this.readParty(company.id, line.partyCode);
            if (!party)
              throw new TrytonErpError(
                'ERP_CUSTOMER_NOT_FOUND',
                `customer ${line.partyCode} is not in Tryton`,
              );
            parties.set(line.partyCode, party.id);
          }
        }
        const moveId = await this.createAndPostMove(company, {
          journal: JOURNAL.general,
          date: input.date,
          description: moveDescription(input.externalId, input.memo),
          lines: input.lines.map((line) => ({
            account: need(accounts.get(line.accountCode), line.accountCode).id,
            debit: D(line.debit ?? 0),
            credit: D(line.credit ?? 0),
            description: line.description ?? null,
            // A party on an account that does not want one is refused by Tryton: only where required.
            party:
              line.partyCode !== undefined &&
              need(accounts.get(line.accountCode), line.accountCode).partyRequired
                ? need(parties.get(line.partyCode), line.partyCode)
                : null,
          })),
          existingDraft: existing?.id,
        });
        return {
          record: need(await this.readMove(company, moveId), `move ${String(moveId)}`),
          created: true,
        };
      }),
    );
  }

  private async findMove(
    company: TrytonCompany,
    journalCode: string,
    externalId: string,
  ): Promise<TrytonMove | undefined> {
    const journal = await this.journal(journalCode);
    const candidates = await this.client.searchRead(
      'account.move',
      [
        ['company', '=', company.id],
        ['journal', '=', journal],
        ['OR', ['description', '=', externalId], ['description', 'like', likePrefix(externalId)]],
      ],
      ['description', 'state'],
      { company: company.id, order: [['id', 'ASC']] },
    );
    // LIKE only narrows (and is case-insensitive on SQLite): the external id must match exactly.
    const matches = candidates.filter(
      (row) => splitDescription(str(row, 'description')).externalId === externalId,
    );
    const chosen = matches.find((row) => row.state === 'posted') ?? matches.at(0);
    return chosen && this.readMove(company, chosen.id);
  }

  private async readMove(company: TrytonCompany, moveId: number): Promise<TrytonMove | undefined> {
    return (await this.readMoves(company, [moveId])).at(0);
  }

  private async readMoves(
    company: TrytonCompany,
    moveIds: readonly number[],
  ): Promise<TrytonMove[]> {
    const rows = await this.client.read(
      'account.move',
      moveIds,
      [
        'description',
        'post_number',
        'state',
        'date',
        'period.start_date',
        'journal.code',
        'lines.account.code',
        'lines.debit',
        'lines.credit',
        'lines.description',
        'lines.party.code',
        'lines.origin',
        ...STAMP_FIELDS,
      ],
      { company: company.id },
    );
    return rows.map((row): TrytonMove => {
      const { externalId, memo } = splitDescription(str(row, 'description'));
      return {
        ...stampsOf(row),
        id: row.id,
        externalId,
        memo,
        number: str(row, 'post_number'),
        state: str(row, 'state') === 'posted' ? 'posted' : 'draft',
        date: dateOf(row, 'date') ?? '',
        period: (dateOf(sub(row, 'period') ?? {}, 'start_date') ?? '').slice(0, 7),
        journal: str(sub(row, 'journal') ?? {}, 'code') ?? '',
        lines: subs(row, 'lines').map((line) => moveLineOf(line, company.currency)),
      };
    });
  }

  /** Creates the move (or reuses an interrupted attempt's draft) and posts it; no draft survives a refusal. */
  private async createAndPostMove(
    company: TrytonCompany,
    move: {
      journal: string;
      date: string;
      description: string;
      lines: readonly Record<string, unknown>[];
      existingDraft?: number;
      /** e.g. "account.invoice,5" */
      origin?: string;
    },
  ): Promise<number> {
    const ctx = { company: company.id };
    const period = await this.postingPeriod(company.code, move.date);
    if (move.existingDraft !== undefined) {
      await this.client.delete('account.move', [move.existingDraft], ctx);
    }
    const [moveId] = await this.client.create(
      'account.move',
      [
        {
          company: company.id,
          journal: await this.journal(move.journal),
          period: period.id,
          date: new TrytonDate(move.date),
          description: move.description,
          ...(move.origin === undefined ? {} : { origin: move.origin }),
          lines: [['create', move.lines]],
        },
      ],
      ctx,
    );
    try {
      await this.postWithWarnings('account.move', moveId, company.id);
    } catch (error) {
      const state = first(
        await this.client.read('account.move', [moveId], ['state'], ctx).catch(() => []),
      );
      if (state?.state === 'draft') {
        await this.client.delete('account.move', [moveId], ctx).catch((cleanup: unknown) => {
          this.logger.warn(`move ${String(moveId)}: draft not deleted: ${String(cleanup)}`);
        });
      }
      throw error;
    }
    return moveId;
  }

  // --- trial balance -----------------------------------------------------------------------------

  /**
   * Per account with a code: the balance before the period (from the fiscal year's start and what
   * closed years carried in), the period's debits and credits of posted moves, and the closing
   * balance (account.general_ledger.account with the period as start and end).
   */
  async trialBalance(companyCode: string, period: string): Promise<TrytonTrialBalance> {
    const company = await this.company(companyCode);
    const found = await this.period(companyCode, period);
    if (!found)
      throw new TrytonErpError(
        'ERP_PERIOD_UNKNOWN',
        `Tryton has no period ${period} for ${companyCode}`,
      );
    const accounts = new Map(
      (await this.accounts(companyCode)).map((account) => [account.id, account]),
    );
    const rows = await this.guard('reading the trial balance', () =>
      this.client.searchRead(
        'account.general_ledger.account',
        [],
        ['account', 'start_balance', 'debit', 'credit', 'end_balance'],
        {
          context: {
            company: company.id,
            fiscalyear: found.fiscalYear,
            start_period: found.id,
            end_period: found.id,
            posted: true,
          },
        },
      ),
    );
    const currency = company.currency;
    const result = rows.flatMap((row) => {
      const account = accounts.get(num(row, 'account') ?? -1);
      if (!account) return [];
      return [
        {
          accountCode: account.code,
          name: account.name,
          kind: account.kind,
          opening: money(dec(row, 'start_balance'), currency),
          debit: money(dec(row, 'debit'), currency),
          credit: money(dec(row, 'credit'), currency),
          closing: money(dec(row, 'end_balance'), currency),
        },
      ];
    });
    result.sort((a, b) => a.accountCode.localeCompare(b.accountCode));
    const total = (field: 'opening' | 'debit' | 'credit' | 'closing'): string =>
      money(
        result.reduce((sum, row) => sum.plus(row[field]), ZERO),
        currency,
      );
    return {
      company: companyCode,
      period,
      currency,
      rows: result,
      totalDebit: total('debit'),
      totalCredit: total('credit'),
      totalOpening: total('opening'),
      totalClosing: total('closing'),
    };
  }

  // --- plumbing ----------------------------------------------------------------------------------

  /**
   * Posts, acknowledging Tryton's warnings (a due date in the past) the way a user clicking "yes"
   * does. Posts of one company go one at a time from this process: each takes the row lock of a
   * strict sequence (invoice numbers, `SELECT … FOR UPDATE NOWAIT` on PostgreSQL), so concurrent
   * posts only fail each other. A lock held by another process is waited out (a few retries).
   */
  private async postWithWarnings(model: string, id: number, company: number): Promise<void> {
    await this.exclusive(`post:${String(company)}`, async () => {
      let locked = 0;
      for (let warned = 0; ;) {
        try {
          await this.client.execute(model, 'post', [id], { company });
          return;
        } catch (error) {
          if (error instanceof TrytonRpcError && error.kind === 'concurrency' && locked < 4) {
            await new Promise((resolve) =>
              setTimeout(resolve, 50 * 2 ** locked++ * (1 + Math.random())),
            );
            continue;
          }
          if (!(error instanceof TrytonUserWarning) || warned++ >= 3) throw error;
          const user = await this.client.login();
          await this.client.create(
            'res.user.warning',
            [{ user, name: error.warningName, always: false }],
            { company },
          );
        }
      }
    });
  }

  private async defaultReceivable(company: number): Promise<number> {
    const configuration = first(
      await this.cached(`receivable:${String(company)}`, () =>
        this.client.read('account.configuration', [1], ['default_account_receivable'], {
          company,
        }),
      ),
    );
    const receivable = configuration && num(configuration, 'default_account_receivable');
    if (receivable === undefined) {
      throw new TrytonErpError(
        'ERP_ACCOUNT_NOT_FOUND',
        'the company has no default receivable account in Tryton',
      );
    }
    return receivable;
  }

  private async currencyId(code: string): Promise<number> {
    const cached = this.currencyIds.get(code);
    if (cached !== undefined) return cached;
    const id = (
      await this.client.search('currency.currency', [['code', '=', code]], { limit: 1 })
    ).at(0);
    if (id === undefined)
      throw new TrytonErpError('ERP_CURRENCY_NOT_ALLOWED', `Tryton has no currency ${code}`);
    this.currencyIds.set(code, id);
    return id;
  }

  private async countryId(code: string): Promise<number> {
    const id = (
      await this.client.search('country.country', [['code', '=', code]], { limit: 1 })
    ).at(0);
    if (id === undefined)
      throw new TrytonErpError('ERP_PROVIDER_ERROR', `Tryton has no country ${code}`);
    return id;
  }

  private async journal(code: string): Promise<number> {
    const cached = this.journalIds.get(code);
    if (cached !== undefined) return cached;
    const id = (
      await this.client.search('account.journal', [['code', '=', code]], { limit: 1 })
    ).at(0);
    if (id === undefined)
      throw new TrytonErpError('ERP_PROVIDER_ERROR', `Tryton has no journal ${code}`);
    this.journalIds.set(code, id);
    return id;
  }

  private async unit(): Promise<number> {
    if (this.unitId !== undefined) return this.unitId;
    const id = (await this.client.search('product.uom', [['symbol', '=', 'u']], { limit: 1 })).at(
      0,
    );
    if (id === undefined) throw new TrytonErpError('ERP_PROVIDER_ERROR', 'Tryton has no unit "u"');
    this.unitId = id;
    return id;
  }

  /** "Due on receipt" (0) or "Net N": found or created. */
  private async paymentTerm(days: number): Promise<number> {
    const cached = this.paymentTermIds.get(days);
    if (cached !== undefined) return cached;
    const name = days === 0 ? 'Due on receipt' : `Net ${String(days)}`;
    let id = (
      await this.client.search('account.invoice.payment_term', [['name', '=', name]], {
        limit: 1,
        order: [['id', 'ASC']],
      })
    ).at(0);
    if (id === undefined) {
      [id] = await this.client.create('account.invoice.payment_term', [
        {
          name,
          lines: [
            [
              'create',
              [{ type: 'remainder', relativedeltas: days ? [['create', [{ days }]]] : [] }],
            ],
          ],
        },
      ]);
    }
    this.paymentTermIds.set(days, id);
    return id;
  }

  private async xmlId(module: string, fsId: string): Promise<number> {
    const row = (
      await this.client.searchRead(
        'ir.model.data',
        [
          ['module', '=', module],
          ['fs_id', '=', fsId],
        ],
        ['db_id'],
        { limit: 1 },
      )
    ).at(0);
    const id = row && num(row, 'db_id');
    if (id === undefined)
      throw new TrytonErpError('ERP_PROVIDER_ERROR', `Tryton has no record ${module}.${fsId}`);
    return id;
  }

  /** Runs `work`, turning whatever Tryton says into a canonical refusal (logged with Tryton's words). */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const mapped = toErpError(error, what);
      if (mapped !== error && mapped.code !== 'ERP_EXTERNAL_ID_CONFLICT') {
        this.logger.warn(`${mapped.message} (Tryton: ${mapped.trytonDetail ?? 'no detail'})`);
      }
      throw mapped;
    }
  }

  /** `load()`, or what it gave less than cacheTtlMs ago (a failure is not kept). */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.cacheTtlMs) return hit.value as Promise<T>;
    const value = load();
    if (this.cacheTtlMs > 0) {
      this.cache.set(key, { at: Date.now(), value });
      value.catch(() => {
        if (this.cache.get(key)?.value === value) this.cache.delete(key);
      });
    }
    return value;
  }

  private forget(prefix: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** One at a time per key in this process (find-or-create must not race itself). */
  private async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    // A write of master data reads fresh and leaves nothing stale behind.
    const [kind, company] = key.split(':');
    const stale =
      kind === 'account'
        ? `accounts:${company}`
        : kind === 'period' || kind === 'fiscalyear'
          ? `periods:${company}`
          : kind === 'party' || kind === 'product'
            ? `${kind}:`
            : undefined;
    const fresh = async (): Promise<T> => {
      if (stale === undefined) return work();
      this.forget(stale);
      try {
        return await work();
      } finally {
        this.forget(stale);
      }
    };
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fresh, fresh);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }
}
