import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@revgate/auth';
import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, toItemProblem, validationProblem } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { withEngine } from '../billing.guards';
import { toBreakdown, toUsageLineResponse } from '../billing.mappers';
import { priceQuantity } from '../pricing';
import {
  BILLING_PROVIDER,
  type BillingInvoiceLine,
  type BillingProvider,
} from '../providers/billing-provider.port';
import { describeSpan } from '../subscriptions/subscription-billing';
import {
  type BatchUsageLine,
  CreateUsageLineRequest,
  type RecordUsageLinesResponse,
  type UsageLineResult,
  UsageLineResponse,
} from './dto/usage-line.dto';

/** The same usage line sent again: same meter, quantity (by value) and period. */
function sameUsage(line: BillingInvoiceLine, request: CreateUsageLineRequest): boolean {
  return (
    line.usage?.meter === request.meter &&
    line.quantity !== undefined &&
    new MoneyDecimal(line.quantity).equals(request.quantity) &&
    line.servicePeriod?.from === request.period.from &&
    line.servicePeriod.to === request.period.to
  );
}

/**
 * Rated usage attached to a subscription's next invoice, priced by the pricing engine.
 *
 * The declared rule: the included quantity and the tiers apply per meter and per service period.
 * Lines for the same meter and the same period are priced on their running total: a line bills
 * round(price(total so far)) − what the earlier lines of that period billed, so however the usage of
 * a period is split, its lines add up to the price of its total, rounded once.
 */
@Injectable()
export class UsageLinesService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly tx: TransactionHost,
  ) {}

  async record(
    caller: Principal,
    subscriptionId: string,
    request: CreateUsageLineRequest,
  ): Promise<{ line: UsageLineResponse; created: boolean }> {
    if (request.period.to <= request.period.from)
      throw validationProblem([
        { pointer: '/period/to', detail: 'period.to must be after period.from (it is exclusive)' },
      ]);
    return this.tx.run(async () => {
      const sub = await this.billing.getSubscription(subscriptionId, {
        legalEntities: caller.legalEntities,
        lock: true,
      });
      if (!sub)
        throw new ApiError(
          404,
          BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
          `Subscription ${subscriptionId} does not exist.`,
        );
      const existing = await this.billing.findUsageLine(sub.id, request.sourceRef);
      if (existing) {
        if (sameUsage(existing, request))
          return { line: toUsageLineResponse(existing, sub.currency), created: false };
        throw new ApiError(
          409,
          BillingErrorCode.USAGE_REFERENCE_CONFLICT,
          `Usage ${request.sourceRef} is already recorded for subscription ${sub.id} with other content (${existing.quantity ?? '?'} ${existing.usage?.meter ?? ''} for ${existing.servicePeriod?.from ?? '?'} – ${existing.servicePeriod?.to ?? '?'}).`,
        );
      }
      if (
        request.period.from < sub.startDate ||
        (sub.endDate !== undefined && request.period.to > sub.endDate)
      )
        throw new ApiError(
          422,
          BillingErrorCode.USAGE_PERIOD_INVALID,
          `Usage for ${request.period.from} – ${request.period.to} falls outside the subscription (${sub.startDate} – ${sub.endDate ?? 'open-ended'}).`,
          { errors: [{ pointer: '/period', detail: 'outside the subscription' }] },
        );
      const item = sub.items.find((i) => i.usageType === 'metered' && i.meter === request.meter);
      if (!item)
        throw new ApiError(
          422,
          BillingErrorCode.METER_NOT_ON_SUBSCRIPTION,
          `Subscription ${sub.id} has no metered item for meter ${request.meter}.`,
          { errors: [{ pointer: '/meter', detail: 'no metered item for this meter' }] },
        );
      const price = await this.billing.getPrice(item.priceId);
      const product = await this.billing.getProduct(item.productId);
      if (!price || !product) throw new Error(`price or product of item ${item.id} is missing`);
      const earlier = await this.billing.usageLines(item.id, request.period);
      const before = earlier.reduce((sum, l) => sum.plus(l.quantity ?? 0), new MoneyDecimal(0));
      const billed = earlier.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
      const total = before.plus(request.quantity);
      const calculation = withEngine(() => priceQuantity(price.definition, total.toFixed()));
      const periodAmount = calculation.roundedAmount.toString();
      const stored = await this.billing.addPendingLines([
        {
          id: randomUUID(),
          customerId: sub.customerId,
          subscriptionId: sub.id,
          type: 'usage',
          description: (
            request.description ??
            `${product.name}: ${new MoneyDecimal(request.quantity).toFixed()} ${request.meter} (${describeSpan(request.period)})`
          ).slice(0, 500),
          productId: product.id,
          priceId: price.id,
          subscriptionItemId: item.id,
          quantity: request.quantity,
          amount: roundMoney(new MoneyDecimal(periodAmount).minus(billed), sub.currency),
          servicePeriod: { ...request.period },
          proration: false,
          source: { kind: 'usage', reference: request.sourceRef },
          taxCode: product.taxCode,
          usage: {
            meter: request.meter,
            periodQuantity: total.toFixed(),
            periodAmount,
            breakdown: toBreakdown(calculation),
          },
        },
      ]);
      const line = stored.at(0);
      if (!line) throw new Error('the usage line was not stored');
      return { line: toUsageLineResponse(line, sub.currency), created: true };
    });
  }

  /**
   * Records lines of many subscriptions, each exactly as `record` would, in its own transaction:
   * a line refused (an unknown subscription, a conflicting sourceRef, a period outside the
   * subscription, a meter it does not have) is refused alone and the others are recorded.
   */
  async recordMany(
    caller: Principal,
    lines: readonly BatchUsageLine[],
  ): Promise<RecordUsageLinesResponse> {
    const results: UsageLineResult[] = [];
    for (const { subscriptionId, ...request } of lines) {
      const ref = { subscriptionId, sourceRef: request.sourceRef };
      try {
        const { line, created } = await this.record(caller, subscriptionId, request);
        results.push({ ...ref, outcome: created ? 'created' : 'existing', line });
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        results.push({ ...ref, outcome: 'refused', problem: toItemProblem(e) });
      }
    }
    const count = (outcome: UsageLineResult['outcome']): number =>
      results.filter((r) => r.outcome === outcome).length;
    return {
      results,
      created: count('created'),
      existing: count('existing'),
      refused: count('refused'),
    };
  }
}
