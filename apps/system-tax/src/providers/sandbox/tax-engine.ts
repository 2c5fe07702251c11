import { isEuCountry, isEuVatIdFormat, MoneyDecimal, roundMoney } from '@revgate/canonical';
import { ApiError } from '@revgate/platform';
import { TaxErrorCode } from '../../tax-error-code';
import type {
  CreateTransactionModel,
  Jurisdiction,
  Taxability,
  TaxedDocument,
  TaxedLine,
} from '../tax-provider.port';
import type { RateTable } from './rate-table';

/**
 * The sandbox's tax engine: pure, no I/O.
 *
 * Where: the supply is taxed where the buyer is (the ship-to address), as SaaS is in the US states
 * and in the EU. The seller's address only decides the reverse charge.
 *
 * How much (the declared rounding rule): per line, half-up. A line's tax is its amount × rate — for
 * a tax-included amount, amount × rate ÷ (1 + rate) — rounded half-up to the currency's minor units
 * once, on the line. The document's tax is the exact sum of its lines' taxes, never rounded again.
 *
 * When: the rates of the document date, or of the document's TaxDate override (a return is taxed
 * at its original sale's date). A line's TaxAmount override replaces its computed tax exactly; the
 * jurisdiction, taxability and rate are found as for any line.
 *
 * Exemption: a customer exemption certificate (exemptionNo) makes every line exempt.
 * Reverse charge: a buyer in an EU member state with a well-formed VAT number of that state, buying
 * from a seller not established there, accounts for the VAT itself (Article 196, VAT Directive):
 * no tax is charged and the invoice carries the mention.
 */

export interface LineAmounts {
  /** the amount without tax */
  net: string;
  tax: string;
}

/** The tax of one line at `rate`, rounded half-up to the currency (the declared rule). */
export function lineTax(
  amount: string,
  rate: string,
  taxIncluded: boolean,
  currency: string,
): LineAmounts {
  const gross = new MoneyDecimal(amount);
  const r = new MoneyDecimal(rate);
  const exact = taxIncluded ? gross.times(r).dividedBy(r.plus(1)) : gross.times(r);
  const tax = roundMoney(exact, currency);
  return { net: roundMoney(taxIncluded ? gross.minus(tax) : gross, currency), tax };
}

/** A line whose tax is fixed (AvaTax TaxOverride of type TaxAmount): the tax is exactly it. */
export function overriddenTax(
  amount: string,
  taxAmount: string,
  taxIncluded: boolean,
  currency: string,
): LineAmounts {
  const tax = roundMoney(taxAmount, currency);
  return {
    net: roundMoney(taxIncluded ? new MoneyDecimal(amount).minus(tax) : amount, currency),
    tax,
  };
}

/** The exact sum of amounts that are already rounded to the currency. */
export function sumAmounts(amounts: readonly string[], currency: string): string {
  return roundMoney(
    amounts.reduce((acc, a) => acc.plus(a), new MoneyDecimal(0)),
    currency,
  );
}

function unprocessable(code: TaxErrorCode, detail: string, pointers: string[] = []): ApiError {
  return new ApiError(
    422,
    code,
    detail,
    pointers.length ? { errors: pointers.map((pointer) => ({ pointer, detail })) } : {},
  );
}

/** Computes the tax of a document against the rate table, or refuses it. */
export function taxDocument(model: CreateTransactionModel, table: RateTable): TaxedDocument {
  const currency = model.currencyCode;
  const { shipFrom, shipTo } = model.addresses;
  const taxDate = model.taxOverride?.taxDate ?? model.date;

  const unknown = model.lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => !table.knowsTaxCode(line.taxCode));
  if (unknown.length) {
    throw unprocessable(
      TaxErrorCode.TAX_CODE_UNKNOWN,
      `Unknown product tax code${unknown.length > 1 ? 's' : ''}: ${unknown
        .map(({ line, i }) => `lines[${i}] ${line.taxCode}`)
        .join(', ')}. Known codes: ${Object.keys(table.taxCodes).join(', ')}.`,
      unknown.map(({ i }) => `/lines/${i}/taxCode`),
    );
  }

  const vatId = model.businessIdentificationNo;
  if (vatId !== undefined && isEuCountry(shipTo.country) && !isEuVatIdFormat(shipTo.country, vatId))
    throw unprocessable(
      TaxErrorCode.VAT_ID_INVALID,
      `customerVatId ${vatId} is not a well-formed VAT identification number of ${shipTo.country}, the buyer's country.`,
      ['/customerVatId'],
    );
  const exempt = model.exemptionNo !== undefined;
  const reverseCharge =
    !exempt &&
    vatId !== undefined &&
    isEuCountry(shipTo.country) &&
    shipFrom.country !== shipTo.country;

  const lines = model.lines.map((line, i): TaxedLine => {
    const found = table.lookup(shipTo.country, shipTo.region, line.taxCode, taxDate);
    if (found.kind === 'unsupported_jurisdiction' || found.kind === 'unknown_tax_code')
      throw unprocessable(
        TaxErrorCode.JURISDICTION_UNSUPPORTED,
        `No tax rates for ${shipTo.region ? `${shipTo.country}-${shipTo.region}` : shipTo.country} (the ship-to address) in this tax provider.`,
        ['/addresses/shipTo/country'],
      );
    if (found.kind === 'not_effective')
      throw unprocessable(
        TaxErrorCode.RATE_NOT_EFFECTIVE,
        `No rate of ${line.taxCode} (lines[${i}]) is in effect in ${found.jurisdiction.name} on ${taxDate}${taxDate === model.date ? '' : `, the tax date of ${model.referenceCode ?? 'the document'}`}; rates exist for ${found.periods
          .map((p) => `${p.from} to ${p.to ?? 'now'}`)
          .join(', ')}.`,
        [taxDate === model.date ? '/date' : '/referenceCode'],
      );
    const taxability: Taxability = exempt
      ? 'exempt'
      : reverseCharge
        ? 'reverse_charge'
        : new MoneyDecimal(found.rate).isZero()
          ? 'non_taxable'
          : 'taxable';
    const rate = taxability === 'taxable' ? found.rate : '0';
    const { net, tax } = line.taxOverride
      ? overriddenTax(line.amount, line.taxOverride.taxAmount, line.taxIncluded, currency)
      : lineTax(line.amount, rate, line.taxIncluded, currency);
    const zero = roundMoney(0, currency);
    return {
      number: line.number,
      ...(line.itemCode === undefined ? {} : { itemCode: line.itemCode }),
      taxCode: line.taxCode,
      ...(line.description === undefined ? {} : { description: line.description }),
      quantity: new MoneyDecimal(line.quantity).toFixed(),
      amount: roundMoney(line.amount, currency),
      taxIncluded: line.taxIncluded,
      taxability,
      rate,
      jurisdiction: { ...found.jurisdiction } satisfies Jurisdiction,
      netAmount: net,
      taxableAmount: taxability === 'taxable' ? net : zero,
      exemptAmount: taxability === 'taxable' ? zero : net,
      tax,
    };
  });

  const messages: string[] = [];
  if (exempt)
    messages.push(`Exempt from tax: customer exemption certificate ${model.exemptionNo ?? ''}.`);
  if (reverseCharge)
    messages.push(
      `Reverse charge: VAT to be accounted for by the customer (Article 196, Council Directive 2006/112/EC). Customer VAT ID: ${vatId}.`,
    );
  return {
    type: model.type,
    companyCode: model.companyCode,
    date: model.date,
    ...(model.referenceCode === undefined ? {} : { referenceCode: model.referenceCode }),
    customerCode: model.customerCode,
    currencyCode: currency,
    ...(model.exemptionNo === undefined ? {} : { exemptionNo: model.exemptionNo }),
    ...(vatId === undefined ? {} : { businessIdentificationNo: vatId }),
    addresses: { shipFrom: { ...shipFrom }, shipTo: { ...shipTo } },
    reverseCharge,
    lines,
    totalAmount: sumAmounts(
      lines.map((l) => l.netAmount),
      currency,
    ),
    totalTaxable: sumAmounts(
      lines.map((l) => l.taxableAmount),
      currency,
    ),
    totalExempt: sumAmounts(
      lines.map((l) => l.exemptAmount),
      currency,
    ),
    totalTax: sumAmounts(
      lines.map((l) => l.tax),
      currency,
    ),
    messages,
  };
}
