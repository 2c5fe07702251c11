import type { AppPersistence } from '@revgate/persistence';
import { billingPersistence } from '../apps/system-billing/src/billing.persistence';
import { crmPersistence } from '../apps/system-crm/src/crm.persistence';
import { erpPersistence } from '../apps/system-erp/src/erp.persistence';
import { taxPersistence } from '../apps/system-tax/src/tax.persistence';
import { q2cPersistence } from '../apps/process-quote-to-cash/src/q2c.persistence';
import { eventsProbePersistence } from '../test/events/events-probe.app';
import { u2rPersistence } from '../apps/process-usage-to-revenue/src/u2r.persistence';
import { portalPersistence } from '../apps/experience-portal/src/portal.persistence';

/** Every app's persistence, for the tooling that works on all of them (migrations, checks). */
export const APP_PERSISTENCE: Record<string, AppPersistence> = {
  'system-crm': crmPersistence,
  'system-billing': billingPersistence,
  'system-tax': taxPersistence,
  // The libs/events test app: its migrations are checked like an app's.
  'events-probe': eventsProbePersistence,
  'system-erp': erpPersistence,
  'process-quote-to-cash': q2cPersistence,
  'process-usage-to-revenue': u2rPersistence,
  'experience-portal': portalPersistence,
};

/** Where each app's migrations live. */
export const MIGRATIONS_DIR: Record<string, string> = {
  'system-crm': 'apps/system-crm/src/migrations',
  'system-billing': 'apps/system-billing/src/migrations',
  'system-tax': 'apps/system-tax/src/migrations',
  'events-probe': 'test/events/migrations',
  'system-erp': 'apps/system-erp/src/migrations',
  'process-quote-to-cash': 'apps/process-quote-to-cash/src/migrations',
  'process-usage-to-revenue': 'apps/process-usage-to-revenue/src/migrations',
  'experience-portal': 'apps/experience-portal/src/migrations',
};
