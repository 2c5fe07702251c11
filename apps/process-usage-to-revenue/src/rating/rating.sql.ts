/**
 * The usage of a period that counts ($1::varchar = YYYY-MM): usage events counted in it (on time or carried
 * forward) and held events released into it, less the cancelled ones (a cancellation that is itself
 * held does not count yet). Each event resolved to a subscription: its own reference, or for an
 * event sent by customer, that customer's (id or external id) subscription with a metered item
 * for the meter (the oldest id when several).
 */
export const EFFECTIVE_EVENTS = `
  with counted as (
    select e.id, e.subscription_ref, e.customer_ref, e.meter_code, e.quantity, e.occurred_at, e.properties
      from u2r.usage_events e
     where e.period = $1::varchar and e.kind = 'usage' and e.disposition <> 'held'
    union all
    select e.id, e.subscription_ref, e.customer_ref, e.meter_code, e.quantity, e.occurred_at, e.properties
      from u2r.usage_releases r join u2r.usage_events e on e.id = r.event_id
     where r.period = $1::varchar
  ),
  effective as (
    select c.* from counted c
     where not exists (select 1 from u2r.usage_events x
                        where x.cancels_event_id = c.id and x.disposition <> 'held')
  ),
  resolved as (
    select f.*, coalesce(f.subscription_ref, (
             select s.id from u2r.billing_subscriptions s
               join u2r.billing_customers bc on bc.id = s.customer_id
              where (bc.id = f.customer_ref or bc.external_id = f.customer_ref)
                and s.meters ? f.meter_code
              order by s.id limit 1)) as subscription_id
      from effective f
  )`;

/**
 * Rates a period: one row per subscription and meter of the resolved events whose subscription has
 * a metered item for the meter, aggregated by the meter's rule, with the events' fingerprint (the
 * checksum is the one of usageChecksum in @revgate/canonical: SHA-256 of "<id>\\t<quantity>\\n" in
 * id byte order, quantities in their shortest form). A row already rated stays as it was.
 */
export const RATE_PERIOD = `${EFFECTIVE_EVENTS},
  rateable as (
    select r.*, m.aggregation, m.unique_property, s.meters ->> r.meter_code as price_id, s.currency
      from resolved r
      join u2r.meters m on m.code = r.meter_code
      join u2r.billing_subscriptions s on s.id = r.subscription_id and s.meters ? r.meter_code
  )
  , rated as (insert into u2r.rated_usage (id, period, subscription_id, meter_code, aggregation, quantity,
    event_count, first_event_id, last_event_id, events_quantity, checksum, status, price_id,
    currency, rated_at)
  select gen_random_uuid(), $1::varchar, subscription_id, meter_code, min(aggregation),
         case min(aggregation)
           when 'sum' then sum(quantity)
           when 'max' then max(quantity)
           when 'count' then count(*)
           when 'unique_count' then count(distinct properties ->> unique_property)
           else (array_agg(quantity order by occurred_at desc, id desc))[1]
         end,
         count(*), min(id), max(id), sum(quantity),
         encode(sha256(convert_to(string_agg(id || E'\\t' || trim_scale(quantity)::text || E'\\n', ''
           order by id), 'UTF8')), 'hex'),
         'pending', min(price_id)::uuid, min(currency), now()
    from rateable
   group by subscription_id, meter_code
  on conflict (period, subscription_id, meter_code) do nothing`;
// The caller closes the CTE: `${RATE_PERIOD} returning 1) select count(*) from rated`.
