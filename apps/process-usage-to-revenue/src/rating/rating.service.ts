import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@revgate/persistence';
import { SystemApis } from '../upstreams/upstream-apis';
import { upstreamProblem } from '../upstreams/upstream-problem';
import { RATE_PERIOD } from './rating.sql';

/**
 * Rating: billing's subscriptions and customers synced into the app's read model, then a period's
 * usage aggregated per subscription and meter in one SQL statement.
 */
@Injectable()
export class RatingService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly apis: SystemApis,
  ) {}

  /** Copies billing's subscriptions and customers (every page); returns how many subscriptions. */
  async syncFromBilling(): Promise<number> {
    for (let cursor: string | undefined; ;) {
      const { data, error, response } = await this.apis.billing.GET('/billing/v1/customers', {
        params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
      });
      if (!data) throw upstreamProblem('billing', response.status, error);
      await this.tx.manager.query(
        `insert into u2r.billing_customers (id, external_id, name, legal_entity, currency, payment_terms, country)
         select id, external_id, name, legal_entity, currency, payment_terms, country
           from json_to_recordset($1::json) as x(id varchar, external_id varchar, name varchar,
                legal_entity varchar, currency varchar, payment_terms varchar, country varchar)
         on conflict (id) do update set external_id = excluded.external_id, name = excluded.name,
           legal_entity = excluded.legal_entity, currency = excluded.currency,
           payment_terms = excluded.payment_terms, country = excluded.country`,
        [
          JSON.stringify(
            data.data.map((c) => ({
              id: c.id,
              external_id: c.externalId ?? null,
              name: c.name,
              legal_entity: c.legalEntity,
              currency: c.currency,
              payment_terms: c.paymentTerms,
              country: c.billTo.country,
            })),
          ),
        ],
      );

      if (!data.nextCursor) break;
      cursor = data.nextCursor;
    }
    let subscriptions = 0;
    for (let cursor: string | undefined; ;) {
      const { data, error, response } = await this.apis.billing.GET('/billing/v1/subscriptions', {
        params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
      });
      if (!data) throw upstreamProblem('billing', response.status, error);
      await this.tx.manager.query(
        `insert into u2r.billing_subscriptions (id, customer_id, legal_entity, currency, status,
           start_date, end_date, meters, synced_at)
         select id, customer_id, legal_entity, currency, status, start_date, end_date, meters, now()
           from json_to_recordset($1::json) as x(id varchar, customer_id varchar, legal_entity varchar,
                currency varchar, status varchar, start_date date, end_date date, meters jsonb)
         on conflict (id) do update set customer_id = excluded.customer_id,
           legal_entity = excluded.legal_entity, currency = excluded.currency, status = excluded.status,
           start_date = excluded.start_date, end_date = excluded.end_date, meters = excluded.meters,
           synced_at = excluded.synced_at`,
        [
          JSON.stringify(
            data.data.map((s) => ({
              id: s.id,
              customer_id: s.customerId,
              legal_entity: s.legalEntity,
              currency: s.currency,
              status: s.status,
              start_date: s.startDate,
              end_date: s.endDate ?? null,
              meters: Object.fromEntries(
                s.items.flatMap((i) =>
                  i.usageType === 'metered' && i.meter ? [[i.meter, i.priceId]] : [],
                ),
              ),
            })),
          ),
        ],
      );
      subscriptions += data.data.length;
      if (!data.nextCursor) break;
      cursor = data.nextCursor;
    }
    return subscriptions;
  }

  /** Rates a closed period; returns the rows rated now (a period rated before keeps its rows). */
  async rate(period: string): Promise<number> {
    const [row] = await this.tx.manager.query<{ n: number }[]>(
      `${RATE_PERIOD} returning 1) select count(*)::int as n from rated`,
      [period],
    );
    return row.n;
  }
}
