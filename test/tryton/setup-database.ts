/**
 * Fills a freshly initialised Tryton 6.0 database (trytond-admin with the party, company, currency,
 * product, account, account_invoice and account_product modules) with what Revgate's ERP connector
 * posts into, entirely over JSON-RPC through the connector's own client:
 *
 * - currencies USD, EUR and GBP with a rate each; every ISO 3166 country (addresses need them);
 * - one company per legal entity (party code = the entity code): US01 in USD, DE01 in EUR;
 * - per company: the "Minimal Account Chart" with codes the ERP API maps (ACCOUNT_PLAN), the default
 *   receivable, payable, revenue and expense accounts, fiscal years for the current and the next year
 *   with monthly periods, a post-move sequence and strict invoice sequences, and a "Cash" payment
 *   method (the account.invoice.pay wizard needs one);
 * - payment terms "Due on receipt" and "Net 30", a general journal MISC for journal entries, and the
 *   product category "Revgate Services" (used by scripts/tryton/smoke.py);
 * - the admin user on every company with company_filter "all": Tryton's record rules follow the
 *   user's stored company, not the context's, so a connector serving several companies with one
 *   login must see all of them and name the company in every domain and context.
 *
 * Idempotent: each record is looked up first and created only when missing.
 *
 *   scripts/run-ts.sh test/tryton/setup-database.ts --url http://127.0.0.1:8000 --database DB \
 *     [--login admin] [--password-file FILE | --password PW]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import isISO31661Alpha2 from 'validator/lib/isISO31661Alpha2';
import { MoneyDecimal } from '@revgate/canonical';
import { TrytonDate } from '../../apps/system-erp/src/providers/tryton/tryton-rpc.codec';
import { TrytonLedger } from '../../apps/system-erp/src/providers/tryton/tryton-ledger';
import type { TrytonAccountKind } from '../../apps/system-erp/src/providers/tryton/tryton-ledger.types';
import {
  TrytonRpcClient,
  TrytonRow,
} from '../../apps/system-erp/src/providers/tryton/tryton-rpc.client';

export interface CompanySetup {
  /** Legal entity code: the company party's code. */
  readonly code: string;
  readonly name: string;
  readonly currency: string;
}

export const COMPANIES: readonly CompanySetup[] = [
  { code: 'US01', name: 'Revgate US Inc.', currency: 'USD' },
  { code: 'DE01', name: 'Revgate GmbH', currency: 'EUR' },
];

const CURRENCIES = [
  { code: 'USD', name: 'U.S. Dollar', symbol: '$', rate: '1' },
  { code: 'EUR', name: 'Euro', symbol: '€', rate: '0.9' },
  { code: 'GBP', name: 'Pound Sterling', symbol: '£', rate: '0.8' },
] as const;

/**
 * The chart every company gets: the minimal chart's accounts given codes, and the accounts it lacks
 * (made by the connector's upsertAccount, with the account type of their kind).
 */
export const ACCOUNT_PLAN: readonly {
  readonly code: string;
  readonly template?: string;
  readonly name?: string;
  readonly kind?: TrytonAccountKind;
}[] = [
  { code: '1000', template: 'Main Cash' },
  { code: '1100', template: 'Main Receivable' },
  { code: '2100', template: 'Main Payable' },
  { code: '2200', template: 'Main Tax' },
  { code: '2400', name: 'Deferred Revenue', kind: 'deferred_revenue' },
  { code: '3000', name: 'Retained Earnings', kind: 'equity' },
  { code: '4000', template: 'Main Revenue' },
  { code: '4100', name: 'Services Revenue', kind: 'revenue' },
  { code: '6000', template: 'Main Expense' },
];

export interface SetupOptions {
  /** Fiscal years to create (default: the current and the next calendar year). */
  readonly years?: readonly number[];
  readonly companies?: readonly CompanySetup[];
  readonly log?: (message: string) => void;
}

export interface SetupResult {
  /** What was created; empty when the database was ready already. */
  readonly changes: readonly string[];
  readonly companies: Readonly<Record<string, number>>;
}

export function defaultYears(today = new Date()): number[] {
  const year = today.getUTCFullYear();
  return [year, year + 1];
}

export async function setupDatabase(
  client: TrytonRpcClient,
  options: SetupOptions = {},
): Promise<SetupResult> {
  const years = options.years ?? defaultYears();
  const companies = options.companies ?? COMPANIES;
  const changes: string[] = [];
  const log = (message: string): void => {
    changes.push(message);
    options.log?.(message);
  };
  const ROOT = {};

  const one = async (
    model: string,
    domain: unknown[],
    company?: number,
  ): Promise<number | undefined> =>
    (await client.search(model, domain, { limit: 1, order: [['id', 'ASC']], company })).at(0);
  const xmlId = async (module: string, fsId: string): Promise<number> => {
    const row = (
      await client.searchRead(
        'ir.model.data',
        [
          ['module', '=', module],
          ['fs_id', '=', fsId],
        ],
        ['db_id'],
        ROOT,
      )
    ).at(0);
    if (!row || typeof row.db_id !== 'number') throw new Error(`no record ${module}.${fsId}`);
    return row.db_id;
  };

  // --- currencies and countries -------------------------------------------------------------
  const currencyIds = new Map<string, number>();
  for (const currency of CURRENCIES) {
    let id = await one('currency.currency', [['code', '=', currency.code]]);
    if (id === undefined) {
      [id] = await client.create(
        'currency.currency',
        [
          {
            name: currency.name,
            code: currency.code,
            symbol: currency.symbol,
            rounding: new MoneyDecimal('0.01'),
            digits: 2,
            rates: [
              [
                'create',
                [{ date: new TrytonDate('2020-01-01'), rate: new MoneyDecimal(currency.rate) }],
              ],
            ],
          },
        ],
        ROOT,
      );
      log(`currency ${currency.code}`);
    }
    currencyIds.set(currency.code, id);
  }

  const existingCountries = new Set(
    (await client.searchRead('country.country', [], ['code'], ROOT)).map((row) => row.code),
  );
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const missing: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (isISO31661Alpha2(code) && !existingCountries.has(code)) {
        missing.push({ code, name: names.of(code) ?? code });
      }
    }
  }
  if (missing.length > 0) {
    await client.create('country.country', missing, ROOT);
    log(`${missing.length} countries`);
  }

  // --- payment terms and the journal for manual moves (shared by the companies) -------------
  for (const [name, days] of [
    ['Due on receipt', 0],
    ['Net 30', 30],
  ] as const) {
    if ((await one('account.invoice.payment_term', [['name', '=', name]])) === undefined) {
      await client.create(
        'account.invoice.payment_term',
        [
          {
            name,
            lines: [
              [
                'create',
                [{ type: 'remainder', relativedeltas: days ? [['create', [{ days }]]] : [] }],
              ],
            ],
          },
        ],
        ROOT,
      );
      log(`payment term ${name}`);
    }
  }
  const net30 = (await one('account.invoice.payment_term', [['name', '=', 'Net 30']]))!;

  if ((await one('account.journal', [['code', '=', 'MISC']])) === undefined) {
    const revenueJournal = (
      await client.searchRead('account.journal', [['code', '=', 'REV']], ['sequence'], ROOT)
    ).at(0);
    await client.create(
      'account.journal',
      [
        {
          name: 'Miscellaneous',
          code: 'MISC',
          type: 'general',
          sequence: revenueJournal?.sequence,
        },
      ],
      ROOT,
    );
    log('journal MISC');
  }
  const cashJournal = await one('account.journal', [['code', '=', 'CASH']]);
  if (cashJournal === undefined) throw new Error('the account module has no CASH journal');

  // --- companies ------------------------------------------------------------------------------
  const userId = await client.login();
  const ledger = new TrytonLedger(client);
  const companyIds: Record<string, number> = {};
  for (const setup of companies) {
    let partyId = await one('party.party', [['code', '=', setup.code]]);
    if (partyId === undefined) {
      [partyId] = await client.create(
        'party.party',
        [{ name: setup.name, code: setup.code }],
        ROOT,
      );
    }
    let companyId = await one('company.company', [['party', '=', partyId]]);
    if (companyId === undefined) {
      const currency = currencyIds.get(setup.currency);
      if (currency === undefined) throw new Error(`no currency ${setup.currency}`);
      [companyId] = await client.create('company.company', [{ party: partyId, currency }], ROOT);
      log(`company ${setup.code} (${setup.currency})`);
    }
    companyIds[setup.code] = companyId;
  }
  const user = (
    await client.read('res.user', [userId], ['companies', 'company', 'company_filter'], ROOT)
  ).at(0);
  const userCompanies = new Set((user?.companies as number[] | undefined) ?? []);
  const first = companyIds[companies[0].code];
  const toAdd = Object.values(companyIds).filter((id) => !userCompanies.has(id));
  if (toAdd.length > 0 || user?.company !== first || user.company_filter !== 'all') {
    await client.write(
      'res.user',
      [userId],
      { companies: [['add', toAdd]], company: first, company_filter: 'all' },
      ROOT,
    );
    log('admin: every company, company_filter all');
  }

  const template = await xmlId('account', 'account_template_root_en');

  for (const setup of companies) {
    const company = companyIds[setup.code];
    const inCompany = { company };
    const accountsOf = async (): Promise<TrytonRow[]> =>
      client.searchRead(
        'account.account',
        [['company', '=', company]],
        ['name', 'code', 'type'],
        inCompany,
      );

    // --- chart of accounts ------------------------------------------------------------------
    let accounts = await accountsOf();
    if (accounts.length === 0) {
      await client.runWizard(
        'account.create_chart',
        { model: 'company.company', ids: [company] },
        { account: { account_template: template, company } },
        'create_account',
        {
          ...inCompany,
          next: async (view, data) => {
            if (view.model !== 'account.create_chart.properties') return undefined;
            const byName = new Map((await accountsOf()).map((row) => [row.name, row.id]));
            data.properties = {
              company,
              account_receivable: byName.get('Main Receivable'),
              account_payable: byName.get('Main Payable'),
              category_account_revenue: byName.get('Main Revenue'),
              category_account_expense: byName.get('Main Expense'),
            };
            return 'create_properties';
          },
        },
      );
      log(`${setup.code}: chart of accounts`);
      accounts = await accountsOf();
    }
    const root = accounts.find((row) => row.name === 'Minimal Account Chart');
    if (!root) throw new Error(`${setup.code}: no root account`);
    for (const planned of ACCOUNT_PLAN) {
      if (accounts.some((row) => row.code === planned.code)) continue;
      if (planned.template) {
        const account = accounts.find((row) => row.name === planned.template);
        if (!account) throw new Error(`${setup.code}: no account ${planned.template}`);
        await client.write('account.account', [account.id], { code: planned.code }, inCompany);
      } else {
        await ledger.upsertAccount(setup.code, {
          code: planned.code,
          name: planned.name ?? planned.code,
          kind: planned.kind ?? 'asset',
        });
      }
      log(`${setup.code}: account ${planned.code}`);
    }
    accounts = await accountsOf();
    const byCode = (code: string): number => {
      const account = accounts.find((row) => row.code === code);
      if (!account) throw new Error(`${setup.code}: no account ${code}`);
      return account.id;
    };

    // --- company defaults (account.configuration values are per company) -------------------
    const wanted: Record<string, number> = {
      default_account_receivable: byCode('1100'),
      default_account_payable: byCode('2100'),
      default_category_account_revenue: byCode('4000'),
      default_category_account_expense: byCode('6000'),
      default_customer_payment_term: net30,
    };
    const configuration = (
      await client.read('account.configuration', [1], Object.keys(wanted), inCompany)
    ).at(0);
    const stale = Object.fromEntries(
      Object.entries(wanted).filter(([field, id]) => configuration?.[field] !== id),
    );
    if (Object.keys(stale).length > 0) {
      await client.write('account.configuration', [1], stale, inCompany);
      log(`${setup.code}: default accounts`);
    }

    // --- fiscal years with monthly periods and sequences (the connector's own code) ---------
    for (const year of years) {
      if ((await ledger.ensureFiscalYear(setup.code, year)).created) {
        log(`${setup.code}: fiscal year ${year}`);
      }
    }

    // --- payment method for the pay wizard ---------------------------------------------------
    const cash = byCode('1000');
    if (
      (await one(
        'account.invoice.payment.method',
        [
          ['company', '=', company],
          ['name', '=', 'Cash'],
        ],
        company,
      )) === undefined
    ) {
      await client.create(
        'account.invoice.payment.method',
        [
          {
            name: 'Cash',
            company,
            journal: cashJournal,
            debit_account: cash,
            credit_account: cash,
          },
        ],
        inCompany,
      );
      log(`${setup.code}: payment method Cash`);
    }
  }

  // --- the product category smoke.py uses ---------------------------------------------------
  let category = await one('product.category', [['name', '=', 'Revgate Services']]);
  if (category === undefined) {
    [category] = await client.create(
      'product.category',
      [{ name: 'Revgate Services', accounting: true }],
      ROOT,
    );
    log('product category Revgate Services');
  }
  for (const setup of companies) {
    const company = companyIds[setup.code];
    const accounts = await client.searchRead(
      'account.account',
      [
        ['company', '=', company],
        ['code', 'in', ['4000', '6000']],
      ],
      ['code'],
      { company },
    );
    const revenue = accounts.find((row) => row.code === '4000')?.id;
    const expense = accounts.find((row) => row.code === '6000')?.id;
    const row = (
      await client.read('product.category', [category], ['account_revenue', 'account_expense'], {
        company,
      })
    ).at(0);
    if (row?.account_revenue !== revenue || row?.account_expense !== expense) {
      await client.write(
        'product.category',
        [category],
        { account_revenue: revenue, account_expense: expense },
        { company },
      );
      log(`${setup.code}: accounts of Revgate Services`);
    }
  }

  return { changes, companies: companyIds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8000' },
      database: { type: 'string', default: 'revgate_tryton' },
      login: { type: 'string', default: 'admin' },
      password: { type: 'string' },
      'password-file': { type: 'string' },
    },
  });
  const password =
    values.password ??
    (values['password-file'] ? readFileSync(values['password-file'], 'utf8').trim() : undefined) ??
    process.env.TRYTON_ADMIN_PASSWORD;
  if (!password)
    throw new Error('--password, --password-file or TRYTON_ADMIN_PASSWORD is required');
  const client = new TrytonRpcClient({
    url: values.url,
    database: values.database,
    login: values.login,
    password,
  });
  const started = Date.now();
  const result = await setupDatabase(client, { log: (m) => console.log(`[setup] ${m}`) });
  await client.logout();
  console.log(
    result.changes.length === 0
      ? `[setup] nothing to do (${Object.keys(result.companies).join(', ')} ready)`
      : `[setup] done in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('[setup] failed:', error);
    process.exit(1);
  });
}
