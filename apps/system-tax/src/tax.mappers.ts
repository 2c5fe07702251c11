import {
  CommitTaxTransactionRequest,
  lineNumberOf,
  MoneyDecimal,
  roundMoney,
  TaxAddressDto,
  TaxDocumentType,
  TaxQuoteRequest,
  TaxQuoteResponse,
  TaxTransactionResponse,
  TaxTransactionStatus,
} from '@revgate/canonical';
import {
  AddressInfo,
  CommitModel,
  SaleCommitModel,
  CreateTransactionModel,
  DocumentStatus,
  EstimateModel,
  RecordedDocumentType,
  RecordedTransaction,
  TaxedDocument,
} from './providers/tax-provider.port';

/** Why a return carries tax overrides (AvaTax TaxOverrideModel.reason). */
export const RETURN_OVERRIDE_REASON = 'Return';

const TYPE_TO_PORT: Record<TaxDocumentType, RecordedDocumentType> = {
  sale: 'SalesInvoice',
  return: 'ReturnInvoice',
};

export function toRecordedDocumentType(type: TaxDocumentType): RecordedDocumentType {
  return TYPE_TO_PORT[type];
}

function toDocumentType(type: RecordedDocumentType): TaxDocumentType {
  return type === 'ReturnInvoice' ? 'return' : 'sale';
}

const STATUS_TO_PORT: Record<TaxTransactionStatus, DocumentStatus> = {
  committed: 'Committed',
  voided: 'Cancelled',
};

export function toDocumentStatus(status: TaxTransactionStatus): DocumentStatus {
  return STATUS_TO_PORT[status];
}

function toTransactionStatus(status: DocumentStatus): TaxTransactionStatus {
  return status === 'Cancelled' ? 'voided' : 'committed';
}

/** Only the fields that are set: a DTO instance carries the others as undefined. */
function toAddressInfo(a: TaxAddressDto | AddressInfo): AddressInfo {
  return {
    ...(a.line1 === undefined ? {} : { line1: a.line1 }),
    ...(a.line2 === undefined ? {} : { line2: a.line2 }),
    ...(a.city === undefined ? {} : { city: a.city }),
    ...(a.region === undefined ? {} : { region: a.region }),
    ...(a.postalCode === undefined ? {} : { postalCode: a.postalCode }),
    country: a.country,
  };
}

function toModel(request: TaxQuoteRequest): Omit<CreateTransactionModel, 'type' | 'commit'> {
  return {
    companyCode: request.legalEntity,
    date: request.date,
    customerCode: request.customerCode,
    currencyCode: request.currency,
    ...(request.exemptionNo === undefined ? {} : { exemptionNo: request.exemptionNo }),
    ...(request.customerVatId === undefined
      ? {}
      : { businessIdentificationNo: request.customerVatId }),
    addresses: {
      shipFrom: toAddressInfo(request.addresses.shipFrom),
      shipTo: toAddressInfo(request.addresses.shipTo),
    },
    lines: request.lines.map((l, i) => ({
      number: lineNumberOf(l, i),
      quantity: l.quantity,
      amount: l.amount,
      taxCode: l.taxCode,
      ...(l.itemCode === undefined ? {} : { itemCode: l.itemCode }),
      ...(l.description === undefined ? {} : { description: l.description }),
      taxIncluded: l.taxIncluded ?? false,
    })),
  };
}

/** A quote is an AvaTax SalesOrder: estimated, never recorded. */
export function toEstimateModel(request: TaxQuoteRequest): EstimateModel {
  return { ...toModel(request), type: 'SalesOrder', commit: false };
}

/**
 * A committed transaction is an AvaTax SalesInvoice with commit=true, under its code; a return is a
 * ReturnInvoice that names its sale in referenceCode and is taxed at `originalTaxDate`, the sale's
 * date (a TaxDate override), each line's taxAmount becoming a TaxAmount override. Amounts stay
 * positive on the port.
 */
/** A sale to record and commit under its code. */
export function toSaleCommitModel(request: CommitTaxTransactionRequest): SaleCommitModel {
  return { ...toModel(request), type: 'SalesInvoice', code: request.code, commit: true };
}

export function toCommitModel(
  request: CommitTaxTransactionRequest,
  originalTaxDate?: string,
): CommitModel {
  if (request.type !== 'return') return toSaleCommitModel(request);
  const model = toModel(request);
  return {
    ...model,
    type: 'ReturnInvoice',
    code: request.code,
    commit: true,
    ...(request.referenceCode === undefined ? {} : { referenceCode: request.referenceCode }),
    ...(originalTaxDate === undefined
      ? {}
      : {
          taxOverride: {
            type: 'TaxDate',
            taxDate: originalTaxDate,
            reason: RETURN_OVERRIDE_REASON,
          },
        }),
    lines: model.lines.map((line, i) => {
      const taxAmount = request.lines[i]?.taxAmount;
      return taxAmount === undefined
        ? line
        : {
            ...line,
            taxOverride: { type: 'TaxAmount', taxAmount, reason: RETURN_OVERRIDE_REASON },
          };
    }),
  };
}

/** The same document estimated and not recorded: a SalesOrder, or a ReturnOrder for a return. */
export function toEstimateOf(model: CommitModel): EstimateModel {
  const { code: _code, ...rest } = model;
  return {
    ...rest,
    type: model.type === 'ReturnInvoice' ? 'ReturnOrder' : 'SalesOrder',
    commit: false,
  };
}

export function toQuoteResponse(d: TaxedDocument): TaxQuoteResponse {
  return {
    legalEntity: d.companyCode,
    customerCode: d.customerCode,
    date: d.date,
    currency: d.currencyCode,
    addresses: {
      shipFrom: toAddressInfo(d.addresses.shipFrom),
      shipTo: toAddressInfo(d.addresses.shipTo),
    },
    ...(d.exemptionNo === undefined ? {} : { exemptionNo: d.exemptionNo }),
    ...(d.businessIdentificationNo === undefined
      ? {}
      : { customerVatId: d.businessIdentificationNo }),
    reverseCharge: d.reverseCharge,
    lines: d.lines.map((l) => ({
      number: l.number,
      ...(l.itemCode === undefined ? {} : { itemCode: l.itemCode }),
      taxCode: l.taxCode,
      ...(l.description === undefined ? {} : { description: l.description }),
      quantity: l.quantity,
      amount: l.amount,
      taxIncluded: l.taxIncluded,
      taxability: l.taxability,
      rate: l.rate,
      jurisdiction: { ...l.jurisdiction },
      netAmount: l.netAmount,
      taxableAmount: l.taxableAmount,
      exemptAmount: l.exemptAmount,
      tax: l.tax,
    })),
    totalAmount: d.totalAmount,
    totalTaxable: d.totalTaxable,
    totalExempt: d.totalExempt,
    totalTax: d.totalTax,
    // both are rounded to the currency, so the sum is exact
    totalWithTax: roundMoney(new MoneyDecimal(d.totalAmount).plus(d.totalTax), d.currencyCode),
    notes: [...d.messages],
  };
}

export function toTransactionResponse(t: RecordedTransaction): TaxTransactionResponse {
  return {
    id: t.id,
    code: t.code,
    type: toDocumentType(t.type),
    ...(t.referenceCode === undefined ? {} : { referenceCode: t.referenceCode }),
    status: toTransactionStatus(t.status),
    ...toQuoteResponse(t),
    committedAt: t.committedAt.toISOString(),
    ...(t.voidedAt === undefined ? {} : { voidedAt: t.voidedAt.toISOString() }),
    ...(t.voidReason === undefined ? {} : { voidReason: t.voidReason }),
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
