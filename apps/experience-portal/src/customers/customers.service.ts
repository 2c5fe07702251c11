import { Injectable } from '@nestjs/common';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { ApiError } from '@revgate/platform';
import { PortalApis, read, readOptional } from '../portal-apis';
import { PortalErrorCode } from '../portal-error-code';
import type { CustomerBillingResponse, CustomerUsageView } from './customer.dto';

const notFound = (id: string): ApiError =>
  new ApiError(404, PortalErrorCode.CUSTOMER_NOT_FOUND, `There is no customer ${id}.`);

/**
 * A customer's billing view (subscriptions, invoices, payments, usage to date this period), read
 * from billing and usage-to-revenue. A portal user limited to one customer sees that one only:
 * another customer's id answers 404, as an unknown one does.
 */
@Injectable()
export class CustomersService {
  constructor(private readonly apis: PortalApis) {}

  async billingView(caller: Principal, id: string): Promise<CustomerBillingResponse> {
    if (caller.customerId !== undefined && caller.customerId !== id) throw notFound(id);
    const customer = await readOptional(
      'billing',
      this.apis.billing.GET('/billing/v1/customers/{id}', { params: { path: { id } } }),
    );
    if (!customer || !canSeeEntity(caller, customer.legalEntity)) throw notFound(id);
    const byCustomer = { customerId: id, limit: 100 };
    const [subscriptions, invoices, payments] = await Promise.all([
      read(
        'billing',
        this.apis.billing.GET('/billing/v1/subscriptions', { params: { query: byCustomer } }),
      ),
      read(
        'billing',
        this.apis.billing.GET('/billing/v1/invoices', { params: { query: byCustomer } }),
      ),
      read(
        'billing',
        this.apis.billing.GET('/billing/v1/payments', { params: { query: byCustomer } }),
      ),
    ]);
    const usage = await this.usageToDate(subscriptions.data.map((s) => s.id));
    return {
      customer: {
        id: customer.id,
        name: customer.name,
        legalEntity: customer.legalEntity,
        currency: customer.currency,
        ...(customer.email ? { email: customer.email } : {}),
      },
      subscriptions: subscriptions.data.map((s) => ({
        id: s.id,
        status: s.status,
        billingInterval: s.billingInterval,
        startDate: s.startDate,
        ...(s.billedThrough ? { billedThrough: s.billedThrough } : {}),
        items: s.items.map((i) => ({
          productId: i.productId,
          ...(i.quantity ? { quantity: i.quantity } : {}),
          ...(i.meter ? { meter: i.meter } : {}),
        })),
      })),
      invoices: invoices.data.map((i) => ({
        id: i.id,
        ...(i.number ? { number: i.number } : {}),
        status: i.status,
        ...(i.issueDate ? { issueDate: i.issueDate } : {}),
        ...(i.dueDate ? { dueDate: i.dueDate } : {}),
        currency: i.currency,
        total: i.total,
        amountRemaining: i.amountRemaining,
      })),
      payments: payments.data.map((p) => ({
        id: p.id,
        invoiceId: p.invoiceId,
        status: p.status,
        currency: p.currency,
        amount: p.amount,
        createdAt: p.createdAt,
      })),
      ...(usage ? { usage } : {}),
    };
  }

  /** Usage of this period per subscription and meter; undefined when usage-to-revenue is away. */
  private async usageToDate(subscriptionIds: string[]): Promise<CustomerUsageView | undefined> {
    const period = new Date().toISOString().slice(0, 7);
    try {
      const summaries = await Promise.all(
        subscriptionIds.map((subscriptionId) =>
          read(
            'u2r',
            this.apis.u2r.GET('/u2r/v1/usage-periods/{period}/summary', {
              params: { path: { period }, query: { subscriptionId } },
            }),
          ),
        ),
      );
      return {
        period,
        subscriptions: summaries.map((s, i) => ({
          subscriptionId: subscriptionIds[i] ?? '',
          meters: s.meters.map((m) => ({
            meterCode: m.meterCode,
            events: m.events,
            quantity: m.quantity,
          })),
        })),
      };
    } catch {
      return undefined;
    }
  }
}
