import { Inject, Injectable } from '@nestjs/common';
import { roundMoney } from '@revgate/canonical';
import { LegalEntityDirectory } from '../legal-entities';
import { TAX_NOT_CALCULATED_NOTE } from '../providers/tax/no-tax.adapter';
import type { BillingCustomer } from '../providers/billing-provider.port';
import {
  TAX_PORT,
  type CommitResult,
  type TaxDocument,
  type TaxableLine,
  type TaxOutcome,
  type TaxPort,
} from '../providers/tax.port';

/** Builds tax documents for a customer's invoices and credit memos, and asks the tax port. */
@Injectable()
export class TaxService {
  constructor(
    @Inject(TAX_PORT) private readonly tax: TaxPort,
    private readonly legalEntities: LegalEntityDirectory,
  ) {}

  get mode(): TaxPort['mode'] {
    return this.tax.mode;
  }

  document(customer: BillingCustomer, date: string, lines: TaxableLine[]): TaxDocument {
    const entity = this.legalEntities.find(customer.legalEntity);
    if (!entity)
      throw new Error(
        `legal entity ${customer.legalEntity} of customer ${customer.id} is not configured`,
      );
    return {
      legalEntity: customer.legalEntity,
      customerCode: customer.id,
      date,
      currency: customer.currency,
      shipFrom: entity.address,
      shipTo: customer.billTo,
      ...(customer.taxExemptionNumber === undefined
        ? {}
        : { exemptionNo: customer.taxExemptionNumber }),
      ...(customer.vatId === undefined ? {} : { customerVatId: customer.vatId }),
      lines,
    };
  }

  /** Quotes the lines; an empty document has no tax and needs no call. */
  quote(customer: BillingCustomer, date: string, lines: TaxableLine[]): Promise<TaxOutcome> {
    if (lines.length === 0) return Promise.resolve(this.empty(customer.currency));
    return this.tax.quote(this.document(customer, date, lines));
  }

  commit(
    customer: BillingCustomer,
    date: string,
    lines: TaxableLine[],
    code: string,
  ): Promise<TaxOutcome> {
    if (lines.length === 0) return Promise.resolve(this.empty(customer.currency));
    return this.tax.commit(this.document(customer, date, lines), code);
  }

  /**
   * Commits a document built earlier (by `document`) under `code`; no document means nothing was
   * taxable. Sending the same document again answers the transaction the tax system recorded.
   */
  commitDocument(
    document: TaxDocument | undefined,
    currency: string,
    code: string,
  ): Promise<TaxOutcome> {
    if (!document) return Promise.resolve(this.empty(currency));
    return this.tax.commit(document, code);
  }

  /**
   * Commits several documents built earlier, each under its code, in as few calls as the port
   * allows; answers each one's result in order (an item without a document has nothing taxable).
   */
  async commitDocuments(
    items: readonly { code: string; document?: TaxDocument; currency: string }[],
  ): Promise<CommitResult[]> {
    const taxable = items.flatMap((item) =>
      item.document ? [{ code: item.code, document: item.document }] : [],
    );
    const committed = taxable.length ? await this.tax.commitMany(taxable) : [];
    let next = 0;
    return items.map((item): CommitResult => {
      if (!item.document) return { ok: true, outcome: this.empty(item.currency) };
      const result = committed.at(next++);
      if (!result) throw new Error(`the tax port answered no result for document ${item.code}`);
      return result;
    });
  }

  void(legalEntity: string, code: string, reason?: string): Promise<void> {
    return this.tax.void(legalEntity, code, reason);
  }

  private empty(currency: string): TaxOutcome {
    const calculated = this.tax.mode === 'tax_api';
    return {
      calculated,
      lines: [],
      totalTax: roundMoney(0, currency),
      notes: calculated ? [] : [TAX_NOT_CALCULATED_NOTE],
    };
  }
}
