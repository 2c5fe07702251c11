import 'reflect-metadata';
import { Module, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { IdempotencyInterceptor } from '@revgate/idempotency';
import { applyRouteEnhancers, declaredRoutes, PUBLIC_ROUTE, type AppSpec } from '@revgate/platform';
import { q2cApp } from '../../apps/process-quote-to-cash/src/q2c.app';
import { u2rApp } from '../../apps/process-usage-to-revenue/src/u2r.app';
import { billingApp } from '../../apps/system-billing/src/billing.app';
import { crmApp } from '../../apps/system-crm/src/crm.app';
import { erpApp } from '../../apps/system-erp/src/erp.app';
import { taxApp } from '../../apps/system-tax/src/tax.app';
import { portalApp } from '../../apps/experience-portal/src/portal.app';

@Module({})
class Root {}

const WRITES = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH];
const interceptors = (handler: object): unknown[] =>
  (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
const isPublic = (handler: object, controller: object): boolean =>
  Boolean(
    Reflect.getMetadata(PUBLIC_ROUTE, handler) || Reflect.getMetadata(PUBLIC_ROUTE, controller),
  );

/**
 * The idempotency interceptor is not global (Nest would run its pipeline on every read): the
 * module puts it on each write route when the app is assembled. Every authenticated write of every
 * app that imports it must carry it, once; no read may pay for it.
 */
describe('Idempotency-Key on the write routes of every app', () => {
  const apps: AppSpec[] = [crmApp, billingApp, taxApp, erpApp, q2cApp, u2rApp].map(
    (a) => a as unknown as AppSpec,
  );

  it.each(apps.map((a) => [a.name, a] as const))('%s', (_name, spec) => {
    const root = { module: Root, imports: [spec.module] };
    applyRouteEnhancers(root);
    applyRouteEnhancers(root); // an app assembled twice in a process (tests) adds it once
    const routes = declaredRoutes(root);
    const writes = routes.filter(
      (r) => WRITES.includes(r.httpMethod) && !isPublic(r.handler, r.controller),
    );
    expect(writes.length).toBeGreaterThan(3);
    for (const route of writes) {
      const where = `${route.controller.name}.${route.method}`;
      expect([
        where,
        interceptors(route.handler).filter((i) => i === IdempotencyInterceptor).length,
      ]).toEqual([where, 1]);
    }
    for (const route of routes.filter((r) => !WRITES.includes(r.httpMethod))) {
      expect([`${route.controller.name}.${route.method}`, interceptors(route.handler)]).toEqual([
        `${route.controller.name}.${route.method}`,
        [],
      ]);
    }
    // The token endpoint is public: no caller to key a record by.
    const token = routes.find((r) => r.controller.name === 'TokenController');
    expect(token && interceptors(token.handler)).toEqual([]);
  });

  it('leaves an app that does not import the module alone (the portal)', () => {
    const root = { module: Root, imports: [portalApp.module] };
    applyRouteEnhancers(root);
    const own = declaredRoutes(root).filter(
      (r) => WRITES.includes(r.httpMethod) && r.controller.name !== 'TokenController',
    );
    expect(own.length).toBeGreaterThan(0);
    for (const route of own)
      expect(interceptors(route.handler)).not.toContain(IdempotencyInterceptor);
  });
});
