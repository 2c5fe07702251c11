import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { fitsCurrencyMinorUnits, MoneyDecimal, roundMoney } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, Page, validationProblem, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { amountRemaining, toCreditMemoResponse } from '../billing.mappers';
import {
  BILLING_PROVIDER,
  type BillingCreditMemo,
  type BillingInvoice,
  type BillingProvider,
  type NewCreditMemo,
} from '../providers/billing-provider.port';
import { utcDay } from '../subscriptions/billing-periods';
import { CHARGE_LINE_TYPES, netAmounts } from '../tax/invoice-tax';
import type { TaxableLine } from '../providers/tax.port';
import { TaxService } from '../tax/tax.service';
import { CreditLedger } from './credit-ledger';
import {
  CreateCreditMemoRequest,
  CreditMemoResponse,
  ListCreditMemosQuery,
} from './dto/credit-memo.dto';

type Decimal = InstanceType<typeof MoneyDecimal>;

const add = (map: Map<string, Decimal>, key: string, value: Decimal | string): void => {
  map.set(key, (map.get(key) ?? new MoneyDecimal(0)).plus(value));
};

/**
 * The return lines of a memo: one per credited invoice line (numbered as the invoice line was in
 * the sale document), its credited amount and exactly the tax the memo credits on it.
 */
export function returnLines(memo: BillingCreditMemo, invoice: BillingInvoice): TaxableLine[] {
  const amounts = new Map<string, Decimal>();
  const taxes = new Map<string, Decimal>();
  for (const l of memo.lines) {
    if (!l.invoiceLineId) continue;
    if (l.type === 'invoice_line') add(amounts, l.invoiceLineId, l.amount);
    if (l.type === 'tax') add(taxes, l.invoiceLineId, l.amount);
  }
  return [...amounts].map(([lineId, amount]) => {
    const original = invoice.lines.find((l) => l.id === lineId);
    return {
      number: lineId,
      amount: roundMoney(amount, memo.currency),
      quantity: '1',
      taxCode: original?.taxCode ?? 'NT',
      taxAmount: roundMoney(taxes.get(lineId) ?? 0, memo.currency),
      ...(original ? { description: original.description } : {}),
    };
  });
}

/**
 * Credit memos against finalized invoices.
 *
 * The declared rules: a memo credits lines of the invoice (at most what is left of each line's net
 * amount) or free amounts; a credited line's tax is credited with it, in proportion —
 * round(line tax × credited / line net), half-up, and exactly the tax left on the line when the
 * rest of the line is credited — so crediting a whole invoice reverses exactly the tax it charged.
 * A memo may not credit more than is left to pay on the invoice (422
 * BILLING_CREDIT_EXCEEDS_REMAINING); it applies to the invoice at once.
 */
@Injectable()
export class CreditMemosService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly ledger: CreditLedger,
    private readonly tx: TransactionHost,
    private readonly tax: TaxService,
  ) {}

  private readonly logger = new Logger(CreditMemosService.name);

  async create(
    caller: Principal,
    invoiceId: string,
    request: CreateCreditMemoRequest,
  ): Promise<CreditMemoResponse> {
    const memo = await this.tx.run(async () => {
      const invoice = await this.billing.getInvoice(invoiceId, {
        legalEntities: caller.legalEntities,
        lock: true,
      });
      if (!invoice)
        throw new ApiError(
          404,
          BillingErrorCode.INVOICE_NOT_FOUND,
          `Invoice ${invoiceId} does not exist.`,
        );
      if (invoice.status === 'draft' || invoice.status === 'void')
        throw new ApiError(
          409,
          BillingErrorCode.INVOICE_NOT_OPEN,
          invoice.status === 'draft'
            ? `Invoice ${invoiceId} is a draft: change it, or finalize it before crediting it.`
            : `Invoice ${invoice.number ?? invoiceId} is void: nothing is owed on it to credit.`,
        );
      const input = await this.memoFor(invoice, request);
      const left = new MoneyDecimal(amountRemaining(invoice));
      if (new MoneyDecimal(input.total).gt(left))
        throw new ApiError(
          422,
          BillingErrorCode.CREDIT_EXCEEDS_REMAINING,
          `The credit memo totals ${input.total} ${invoice.currency} (tax included), more than is left to pay on invoice ${invoice.number ?? invoiceId} (${roundMoney(left, invoice.currency)} ${invoice.currency}).`,
        );
      return this.ledger.issue(input, [invoice]);
    });
    return toCreditMemoResponse(await this.reportTax(memo));
  }

  /**
   * Reports a memo still pending to the tax system (again): for when the report after its
   * creation failed. A memo already reported, or with nothing to report, is answered as it is.
   */
  async reportTaxAgain(caller: Principal, id: string): Promise<CreditMemoResponse> {
    const memo = await this.billing.getCreditMemo(id, { legalEntities: caller.legalEntities });
    if (!memo)
      throw new ApiError(
        404,
        BillingErrorCode.CREDIT_MEMO_NOT_FOUND,
        `Credit memo ${id} does not exist.`,
      );
    return toCreditMemoResponse(await this.reportTax(memo, true));
  }

  /**
   * The declared rule: a memo that credits lines of an invoice whose tax is committed is reported
   * to the tax system as a return document (code: the memo id) against the invoice's transaction,
   * each credited line with exactly the tax the memo credits on it. It is reported after the memo
   * is stored, outside its transaction: the memo stands whatever the tax system answers, and stays
   * `pending` until a report succeeds (POST /credit-memos/{id}/report-tax retries; the same
   * document under the same code is answered with the recorded return).
   */
  private async reportTax(memo: BillingCreditMemo, strict = false): Promise<BillingCreditMemo> {
    if (memo.taxStatus !== 'pending' || !memo.invoiceId) return memo;
    try {
      const invoice = await this.billing.getInvoice(memo.invoiceId);
      const customer = await this.billing.getCustomer(memo.customerId);
      if (!invoice?.taxTransactionCode || !customer)
        throw new Error(
          `credit memo ${memo.id} has no taxed invoice or customer to report against`,
        );
      const document = {
        ...this.tax.document(
          customer,
          memo.createdAt.toISOString().slice(0, 10),
          returnLines(memo, invoice),
        ),
        returnOf: invoice.taxTransactionCode,
      };
      await this.tax.commitDocument(document, memo.currency, memo.id);
      return await this.billing.markCreditMemoTaxCommitted(memo.id, memo.id);
    } catch (e) {
      if (strict) throw e;
      this.logger.warn(
        { creditMemoId: memo.id, err: e instanceof Error ? e.message : String(e) },
        'credit memo not reported to the tax system; it stays pending (POST /credit-memos/{id}/report-tax)',
      );
      return memo;
    }
  }

  async get(caller: Principal, id: string): Promise<CreditMemoResponse> {
    const memo = await this.billing.getCreditMemo(id, { legalEntities: caller.legalEntities });
    if (!memo)
      throw new ApiError(
        404,
        BillingErrorCode.CREDIT_MEMO_NOT_FOUND,
        `Credit memo ${id} does not exist.`,
      );
    return toCreditMemoResponse(memo);
  }

  async list(caller: Principal, query: ListCreditMemosQuery): Promise<Page<CreditMemoResponse>> {
    const slice = await this.billing.listCreditMemos({
      ...keysetWindow(query, caller.legalEntities),
      customerId: query.customerId,
      invoiceId: query.invoiceId,
    });
    return keysetPage(slice, toCreditMemoResponse);
  }

  private async memoFor(
    invoice: BillingInvoice,
    request: CreateCreditMemoRequest,
  ): Promise<NewCreditMemo> {
    const currency = invoice.currency;
    const net = netAmounts(invoice.lines);
    const lineTax = new Map<string, Decimal>();
    for (const l of invoice.lines)
      if (l.type === 'tax' && l.appliesToLineId) add(lineTax, l.appliesToLineId, l.amount);
    const credited = new Map<string, Decimal>();
    const creditedTax = new Map<string, Decimal>();
    for (const earlier of await this.earlierMemos(invoice.id))
      for (const l of earlier.lines) {
        if (!l.invoiceLineId) continue;
        if (l.type === 'invoice_line') add(credited, l.invoiceLineId, l.amount);
        if (l.type === 'tax') add(creditedTax, l.invoiceLineId, l.amount);
      }
    const lines: NewCreditMemo['lines'] = [];
    const taxLines: NewCreditMemo['lines'] = [];
    let subtotal = new MoneyDecimal(0);
    let totalTax = new MoneyDecimal(0);
    for (const [i, requested] of request.lines.entries()) {
      const pointer = `/lines/${i}`;
      if (!fitsCurrencyMinorUnits(requested.amount, currency))
        throw validationProblem([
          {
            pointer: `${pointer}/amount`,
            detail: `amount has more decimals than ${currency} allows`,
          },
        ]);
      const amount = new MoneyDecimal(requested.amount);
      subtotal = subtotal.plus(amount);
      if (requested.invoiceLineId === undefined) {
        if (requested.description === undefined)
          throw validationProblem([
            {
              pointer: `${pointer}/description`,
              detail: 'description is required for a line that credits no invoice line',
            },
          ]);
        lines.push({
          type: 'custom',
          description: requested.description,
          amount: roundMoney(amount, currency),
        });
        continue;
      }
      const target = invoice.lines.find(
        (l) => l.id === requested.invoiceLineId && CHARGE_LINE_TYPES.includes(l.type),
      );
      if (!target)
        throw new ApiError(
          422,
          BillingErrorCode.INVOICE_LINE_NOT_FOUND,
          `Invoice ${invoice.number ?? invoice.id} has no charge line ${requested.invoiceLineId}.`,
          {
            errors: [
              { pointer: `${pointer}/invoiceLineId`, detail: 'no such charge line on the invoice' },
            ],
          },
        );
      const lineNet = net.get(target.id) ?? new MoneyDecimal(0);
      const left = lineNet.minus(credited.get(target.id) ?? 0);
      if (amount.gt(left))
        throw new ApiError(
          422,
          BillingErrorCode.CREDIT_EXCEEDS_REMAINING,
          `lines[${i}] credits ${roundMoney(amount, currency)} ${currency} of a line with ${roundMoney(left, currency)} ${currency} left to credit.`,
          { errors: [{ pointer: `${pointer}/amount`, detail: 'more than is left of the line' }] },
        );
      lines.push({
        type: 'invoice_line',
        description: (requested.description ?? `Credit: ${target.description}`).slice(0, 500),
        invoiceLineId: target.id,
        ...(target.servicePeriod ? { servicePeriod: { ...target.servicePeriod } } : {}),
        amount: roundMoney(amount, currency),
      });
      const taxOfLine = lineTax.get(target.id) ?? new MoneyDecimal(0);
      const taxLeft = taxOfLine.minus(creditedTax.get(target.id) ?? 0);
      const tax = amount.equals(left)
        ? taxLeft
        : MoneyDecimal.min(
            taxLeft,
            new MoneyDecimal(roundMoney(taxOfLine.times(amount).dividedBy(lineNet), currency)),
          );
      add(credited, target.id, amount);
      if (!tax.isZero()) {
        add(creditedTax, target.id, tax);
        totalTax = totalTax.plus(tax);
        taxLines.push({
          type: 'tax',
          description: `Tax credited on ${target.description}`.slice(0, 500),
          invoiceLineId: target.id,
          amount: roundMoney(tax, currency),
          ...(target.taxRate === undefined ? {} : { taxRate: target.taxRate }),
        });
      }
    }
    return {
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      subscriptionId: invoice.subscriptionId,
      legalEntity: invoice.legalEntity,
      currency,
      reason: request.reason,
      memo: request.memo,
      lines: [...lines, ...taxLines],
      subtotal: roundMoney(subtotal, currency),
      totalTax: roundMoney(totalTax, currency),
      total: roundMoney(subtotal.plus(totalTax), currency),
      issueDate: utcDay(),
      taxStatus:
        invoice.taxStatus === 'committed' && lines.some((l) => l.type === 'invoice_line')
          ? 'pending'
          : 'not_reported',
    };
  }

  private async earlierMemos(invoiceId: string): Promise<BillingCreditMemo[]> {
    const memos: BillingCreditMemo[] = [];
    let after: { updatedAt: string; id: string } | undefined;
    for (;;) {
      const slice = await this.billing.listCreditMemos({ limit: 200, invoiceId, after });
      memos.push(...slice.items);
      const last = slice.items.at(-1);
      if (!slice.hasMore || !last) return memos;
      after = { updatedAt: last.updatedAt.toISOString(), id: last.id };
    }
  }
}
