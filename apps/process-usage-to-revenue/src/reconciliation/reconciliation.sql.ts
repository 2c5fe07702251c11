/**
 * Per subscription (or customer, for usage sent by customer) and meter of a period ($1): the events
 * the ledger holds, what was rated, invoiced and posted. One pass over the period's events (its
 * index), grouped first, then joined to the few rows per group of the other stages.
 */
export const RECONCILIATION = `
  with ev as (
    select subscription_ref, customer_ref, meter_code,
           count(*) filter (where kind = 'usage')::int as events,
           coalesce(sum(quantity) filter (where kind = 'usage'), 0) as quantity,
           count(*) filter (where kind = 'usage' and disposition = 'held')::int as held,
           coalesce(sum(quantity) filter (where kind = 'usage' and disposition = 'held'), 0) as held_quantity,
           count(*) filter (where kind = 'cancellation' and disposition <> 'held')::int as cancelled,
           coalesce(sum(quantity) filter (where kind = 'cancellation' and disposition <> 'held'), 0) as cancelled_quantity
      from u2r.usage_events where period = $1::varchar
     group by subscription_ref, customer_ref, meter_code
  ),
  keyed as (
    select ev.*, coalesce(ev.subscription_ref, (
             select s.id from u2r.billing_subscriptions s
               join u2r.billing_customers bc on bc.id = s.customer_id
              where (bc.id = ev.customer_ref or bc.external_id = ev.customer_ref) and s.meters ? ev.meter_code
              order by s.id limit 1)) as subscription_id
      from ev
  ),
  grouped as (
    select subscription_id, min(customer_ref) as customer_ref, meter_code, sum(events)::int as events,
           sum(quantity) as quantity, sum(held)::int as held, sum(held_quantity) as held_quantity,
           sum(cancelled)::int as cancelled, sum(cancelled_quantity) as cancelled_quantity
      from keyed group by subscription_id, meter_code
  )
  select g.subscription_id, coalesce(s.customer_id, g.customer_ref) as customer_id, g.meter_code,
         m.aggregation, g.events, trim_scale(g.quantity)::text as quantity, g.held,
         trim_scale(g.held_quantity)::text as held_quantity, g.cancelled,
         trim_scale(g.cancelled_quantity)::text as cancelled_quantity,
         (s.id is not null and s.meters ? g.meter_code) as rateable,
         r.id as rated_id, trim_scale(r.quantity)::text as rated_quantity, r.status as rated_status,
         r.problem as rated_problem, trim_scale(r.amount)::text as rated_amount,
         b.status as billing_status, b.invoice_id, b.invoice_number, b.problem as billing_problem,
         b.posting ->> 'number' as erp_number,
         (select trim_scale(sum((l ->> 'quantity')::numeric))::text
            from jsonb_array_elements(b.invoice -> 'lines') l
           where l ->> 'type' = 'usage' and l -> 'source' ->> 'reference' = 'u2r:' || $1::varchar || ':' || g.meter_code
         ) as invoiced_quantity
    from grouped g
    left join u2r.meters m on m.code = g.meter_code
    left join u2r.billing_subscriptions s on s.id = g.subscription_id
    left join u2r.rated_usage r on r.period = $1::varchar and r.subscription_id = g.subscription_id and r.meter_code = g.meter_code
    left join u2r.billed_subscriptions b on b.period = $1::varchar and b.subscription_id = g.subscription_id
   order by customer_id, g.subscription_id, g.meter_code`;
