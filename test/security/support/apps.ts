import { ALL_SCOPES } from '@revgate/auth';
import type { AppSpec, BaseConfig } from '@revgate/platform';
import { u2rApp } from '../../../apps/process-usage-to-revenue/src/u2r.app';
import { q2cApp } from '../../../apps/process-quote-to-cash/src/q2c.app';
import { billingApp } from '../../../apps/system-billing/src/billing.app';
import { crmApp } from '../../../apps/system-crm/src/crm.app';
import { erpApp } from '../../../apps/system-erp/src/erp.app';
import { taxApp } from '../../../apps/system-tax/src/tax.app';
import { portalApp } from '../../../apps/experience-portal/src/portal.app';
import type { JsonResponse, TestApp } from '../../support/test-app';

/**
 * The seven apps as the security suite sees them: how to start each, where its API lives, the
 * database schema it owns (for "nothing was written") and the list route every caller starts with.
 */
export interface SecurityApp {
  key: 'crm' | 'billing' | 'tax' | 'erp' | 'q2c' | 'u2r' | 'portal';
  spec: AppSpec;
  /** e.g. `crm/v1` */
  basePath: string;
  schema: string;
  /** The app's main list route, relative to its base path. */
  listRoute: string;
  /** The scope that route needs. */
  readScope: string;
  /** The committed OpenAPI document. */
  openapi: string;
  env: Record<string, string>;
  /**
   * Operations (`METHOD /path` as in the spec) that honour the customer claim (@CustomerScoped),
   * with the code a token limited to another customer gets: the answer of an unknown object.
   */
  customerScoped?: Record<string, string>;
}

/**
 * Where the process apps would find their system APIs: a closed port, so no check can reach
 * another system by accident (every check here is refused before a process app calls out). The
 * portal reads every API for its answers, so a valid request to it answers 503
 * PORTAL_UPSTREAM_UNAVAILABLE here (by design): its checks send it invalid input only, and the
 * object-level ones start the real landscape.
 */
export const NOWHERE = 'http://127.0.0.1:9';

export const APPS: Record<SecurityApp['key'], SecurityApp> = {
  crm: {
    key: 'crm',
    spec: crmApp,
    basePath: 'crm/v1',
    schema: 'crm',
    listRoute: 'accounts',
    readScope: 'crm:read',
    openapi: 'system-crm.v1.json',
    env: { CRM_SEED_DEMO: 'false' },
  },
  billing: {
    key: 'billing',
    spec: billingApp,
    basePath: 'billing/v1',
    schema: 'billing',
    listRoute: 'customers',
    readScope: 'billing:read',
    openapi: 'system-billing.v1.json',
    env: {},
  },
  tax: {
    key: 'tax',
    spec: taxApp,
    basePath: 'tax/v1',
    schema: 'tax',
    listRoute: 'transactions',
    readScope: 'tax:read',
    openapi: 'system-tax.v1.json',
    env: {},
  },
  erp: {
    key: 'erp',
    spec: erpApp,
    basePath: 'erp/v1',
    schema: 'erp',
    listRoute: 'invoices',
    readScope: 'erp:read',
    openapi: 'system-erp.v1.json',
    env: { ERP_SEED_DEMO: 'false' },
  },
  q2c: {
    key: 'q2c',
    spec: q2cApp,
    basePath: 'q2c/v1',
    schema: 'q2c',
    listRoute: 'orders',
    readScope: 'q2c:read',
    openapi: 'process-quote-to-cash.v1.json',
    env: {
      CRM_API_URL: NOWHERE,
      BILLING_API_URL: NOWHERE,
      ERP_API_URL: NOWHERE,
      INVOICE_EVENT_WAIT_SECONDS: '0',
    },
  },
  u2r: {
    key: 'u2r',
    spec: u2rApp,
    basePath: 'u2r/v1',
    schema: 'u2r',
    listRoute: 'meters',
    readScope: 'u2r:read',
    openapi: 'process-usage-to-revenue.v1.json',
    env: { BILLING_API_URL: NOWHERE, ERP_API_URL: NOWHERE },
  },
  portal: {
    key: 'portal',
    spec: portalApp,
    basePath: 'portal/v1',
    schema: 'portal',
    // The one list the portal answers from its own schema (the audit log), not from upstreams.
    listRoute: 'audit',
    readScope: 'portal:read',
    openapi: 'experience-portal.v1.json',
    env: {
      CRM_API_URL: NOWHERE,
      BILLING_API_URL: NOWHERE,
      TAX_API_URL: NOWHERE,
      ERP_API_URL: NOWHERE,
      Q2C_API_URL: NOWHERE,
      U2R_API_URL: NOWHERE,
      PORTAL_UPSTREAM_TIMEOUT_MS: '500',
    },
    customerScoped: { 'GET /portal/v1/customers/{id}/billing': 'PORTAL_CUSTOMER_NOT_FOUND' },
  },
};

export const EVERY_SCOPE: string[] = [...ALL_SCOPES];

/** `${app url}/${base path}/${path}` */
export function apiUrl(t: { url: string }, app: SecurityApp, path: string): string {
  return `${t.url}/${app.basePath}/${path}`;
}

/**
 * Row counts of every table of a schema, in one query: "nothing was written" without having to
 * name the tables (a new table is covered the day it is added).
 */
export async function schemaCounts(
  t: Pick<TestApp<BaseConfig>, 'sql'>,
  schema: string,
): Promise<Record<string, number>> {
  const tables = await t.sql<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = $1 and table_type = 'BASE TABLE' and table_name <> 'migrations'
      order by table_name`,
    [schema],
  );
  if (tables.length === 0) throw new Error(`schema ${schema} has no tables`);
  const rows = await t.sql<{ table: string; n: number }>(
    tables
      .map(
        ({ table_name }) =>
          `select '${table_name}' as table, count(*)::int as n from "${schema}"."${table_name}"`,
      )
      .join(' union all '),
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.n]));
}

/** True for an RFC 9457 problem with a stable code (what every refusal must be). */
export function isProblem(res: JsonResponse): boolean {
  const body = res.body as { code?: unknown; status?: unknown } | undefined;
  return (
    /^application\/problem\+json/.test(res.headers.get('content-type') ?? '') &&
    typeof body === 'object' &&
    typeof body.code === 'string' &&
    body.code.length > 0 &&
    body.status === res.status
  );
}

/** A short line describing an answer, for failure messages. */
export function describeAnswer(res: JsonResponse): string {
  const body = JSON.stringify(res.body ?? null);
  return `${res.status} ${res.headers.get('content-type') ?? '-'} ${body.slice(0, 300)}`;
}
