import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { TransactionHost } from '@revgate/persistence';
import { isEmbeddedDefault } from '@revgate/platform';
import { CrmConfig } from '../../crm.config';
import { CRM_PROVIDER, type CrmProvider } from '../crm-provider.port';
import { AccountEntity } from './sandbox.entities';

/**
 * On the first start of the embedded default, fills the empty sandbox with a small, realistic data
 * set: two legal entities, a customer hierarchy, a catalog and open deals ready to be won.
 */
@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  constructor(
    private readonly config: CrmConfig,
    private readonly tx: TransactionHost,
    @Inject(CRM_PROVIDER) private readonly crm: CrmProvider,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(DemoSeed.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.CRM_SEED_DEMO || !isEmbeddedDefault(this.config)) return;
    const seeded = await this.tx.run(async () => {
      await this.tx.manager.query(
        `select pg_advisory_xact_lock(hashtext('revgate:crm:demo-seed'))`,
      );
      if ((await this.tx.manager.count(AccountEntity)) > 0) return false;
      await this.seed();
      return true;
    });
    if (seeded) this.logger.info('seeded the sandbox CRM with demo data');
  }

  private async seed(): Promise<void> {
    const acme = await this.crm.createAccount({
      externalId: 'ACME-001',
      legalName: 'Acme Corporation',
      billingAddress: {
        line1: '1 Market Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      taxRegistration: { scheme: 'EIN', number: '94-1234567', country: 'US' },
      currency: 'USD',
      legalEntity: 'US01',
    });
    await this.crm.createAccount({
      externalId: 'ACME-EMEA',
      legalName: 'Acme Robotics LLC',
      billingAddress: {
        line1: '500 Howard Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      currency: 'USD',
      legalEntity: 'US01',
      parentAccountId: acme.id,
    });
    const globex = await this.crm.createAccount({
      externalId: 'GLOBEX-DE',
      legalName: 'Globex GmbH',
      billingAddress: {
        line1: 'Friedrichstraße 100',
        city: 'Berlin',
        postalCode: '10117',
        country: 'DE',
      },
      taxRegistration: { scheme: 'VAT', number: 'DE123456789', country: 'DE' },
      currency: 'EUR',
      legalEntity: 'DE01',
    });
    const platform = await this.crm.createProduct({
      externalId: 'P-PLATFORM',
      sku: 'PLATFORM-ANNUAL',
      name: 'Platform subscription (annual)',
      family: 'subscription',
      active: true,
    });
    const api = await this.crm.createProduct({
      externalId: 'P-API',
      sku: 'API-CALLS',
      name: 'API calls (metered)',
      family: 'usage',
      active: true,
    });
    const onboarding = await this.crm.createProduct({
      externalId: 'P-ONBOARD',
      sku: 'ONBOARDING',
      name: 'Onboarding service',
      family: 'services',
      active: true,
    });
    const year = new Date().getUTCFullYear();
    await this.crm.createOpportunity(
      {
        externalId: 'OPP-ACME-1',
        accountId: acme.id,
        name: `Acme — platform ${year}`,
        closeDate: `${year}-12-31`,
        lines: [
          {
            productId: platform.id,
            quantity: '50',
            unitPrice: '1200',
            discountPercent: '10',
            termMonths: 12,
            startDate: `${year + 1}-01-01`,
          },
          {
            productId: api.id,
            quantity: '1',
            unitPrice: '0',
            discountPercent: '0',
            termMonths: 12,
            startDate: `${year + 1}-01-01`,
          },
          {
            productId: onboarding.id,
            quantity: '1',
            unitPrice: '5000',
            discountPercent: '0',
            termMonths: 1,
            startDate: `${year + 1}-01-01`,
          },
        ],
      },
      'demo-seed',
    );
    await this.crm.createOpportunity(
      {
        externalId: 'OPP-GLOBEX-1',
        accountId: globex.id,
        name: `Globex — platform ${year}`,
        closeDate: `${year}-12-31`,
        lines: [
          {
            productId: platform.id,
            quantity: '20',
            unitPrice: '1100',
            discountPercent: '0',
            termMonths: 12,
            startDate: `${year + 1}-01-01`,
          },
        ],
      },
      'demo-seed',
    );
  }
}
