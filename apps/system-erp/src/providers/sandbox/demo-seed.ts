import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { GlAccountType } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { isEmbeddedDefault } from '@revgate/platform';
import { ErpConfig } from '../../erp.config';
import type { LegalEntityInput } from '../erp-provider.port';
import { SandboxErpProvider } from './sandbox-erp.provider';
import { LegalEntityEntity } from './sandbox.entities';

const CHART: readonly [string, string, GlAccountType][] = [
  ['1000', 'Cash at bank', 'cash'],
  ['1200', 'Accounts receivable', 'receivable'],
  ['2200', 'Tax payable', 'tax_payable'],
  ['2400', 'Deferred revenue', 'deferred_revenue'],
  ['3000', 'Retained earnings', 'equity'],
  ['4000', 'Subscription revenue', 'revenue'],
  ['4100', 'Usage revenue', 'revenue'],
  ['4200', 'Services revenue', 'revenue'],
  ['6000', 'Operating expenses', 'expense'],
];

const ENTITIES: readonly Omit<LegalEntityInput, 'defaultAccounts'>[] = [
  {
    code: 'US01',
    name: 'Revgate Inc.',
    functionalCurrency: 'USD',
    allowedCurrencies: ['USD', 'EUR', 'GBP'],
    taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
    country: 'US',
  },
  {
    code: 'DE01',
    name: 'Revgate GmbH',
    functionalCurrency: 'EUR',
    allowedCurrencies: ['EUR', 'USD'],
    taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
    country: 'DE',
  },
];

/** The CRM demo's products, as items of every entity. */
const ITEMS = [
  {
    code: 'PLATFORM-ANNUAL',
    name: 'Platform subscription (annual)',
    revenueAccount: '4000',
    deferredRevenueAccount: '2400',
    taxCode: 'SW054000',
  },
  { code: 'API-CALLS', name: 'API calls (metered)', revenueAccount: '4100', taxCode: 'SW054000' },
  { code: 'ONBOARDING', name: 'Onboarding service', revenueAccount: '4200' },
];

/**
 * On the embedded default, fills an empty sandbox ERP with the demo legal entities US01 (USD) and
 * DE01 (EUR): a chart of accounts with default accounts, open periods for every month of this year
 * and the next, the CRM demo's products as items and its customers.
 */
@Injectable()
export class ErpDemoSeed implements OnApplicationBootstrap {
  constructor(
    private readonly config: ErpConfig,
    private readonly tx: TransactionHost,
    private readonly erp: SandboxErpProvider,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ErpDemoSeed.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (
      !this.config.ERP_SEED_DEMO ||
      this.config.ERP_PROVIDER !== 'sandbox' ||
      !isEmbeddedDefault(this.config)
    )
      return;
    const seeded = await this.tx.run(async () => {
      await this.tx.manager.query(
        `select pg_advisory_xact_lock(hashtext('revgate:erp:demo-seed'))`,
      );
      if ((await this.tx.manager.count(LegalEntityEntity)) > 0) return false;
      await this.seed();
      return true;
    });
    if (seeded) this.logger.info('seeded the sandbox ERP with demo legal entities US01 and DE01');
  }

  private async seed(): Promise<void> {
    const year = new Date().getUTCFullYear();
    for (const entity of ENTITIES) {
      await this.erp.upsertLegalEntity({ ...entity, defaultAccounts: {} }, {});
      for (const [code, name, type] of CHART)
        await this.erp.upsertAccount({ legalEntity: entity.code, code, name, type }, {});
      await this.erp.upsertLegalEntity(
        {
          ...entity,
          defaultAccounts: {
            receivable: '1200',
            taxPayable: '2200',
            cash: '1000',
            deferredRevenue: '2400',
          },
        },
        {},
      );
      for (const y of [year, year + 1])
        for (let month = 1; month <= 12; month++)
          await this.erp.openPeriod(entity.code, `${y}-${String(month).padStart(2, '0')}`);
      for (const item of ITEMS)
        await this.erp.upsertItem({ legalEntity: entity.code, ...item }, {});
    }
    await this.erp.upsertCustomer(
      {
        legalEntity: 'US01',
        externalId: 'ACME-001',
        name: 'Acme Corporation',
        paymentTerms: 'net_30',
        currency: 'USD',
        country: 'US',
        taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
      },
      {},
    );
    await this.erp.upsertCustomer(
      {
        legalEntity: 'DE01',
        externalId: 'GLOBEX-DE',
        name: 'Globex GmbH',
        paymentTerms: 'net_30',
        currency: 'EUR',
        country: 'DE',
        taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
      },
      {},
    );
  }
}
