import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { assertEntityAllowed, assertNoImmutableChange } from '../billing.guards';
import { toCustomerResponse } from '../billing.mappers';
import { LegalEntityDirectory } from '../legal-entities';
import { BILLING_PROVIDER, type BillingProvider } from '../providers/billing-provider.port';
import {
  BillingCustomerResponse,
  CreateBillingCustomerRequest,
  ListCustomersQuery,
  UpdateBillingCustomerRequest,
} from './dto/customer.dto';

@Injectable()
export class CustomersService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly legalEntities: LegalEntityDirectory,
  ) {}

  async create(
    caller: Principal,
    request: CreateBillingCustomerRequest,
  ): Promise<BillingCustomerResponse> {
    assertEntityAllowed(caller, request.legalEntity);
    if (!this.legalEntities.find(request.legalEntity))
      throw new ApiError(
        422,
        BillingErrorCode.LEGAL_ENTITY_UNKNOWN,
        `Legal entity ${request.legalEntity} does not invoice in this billing system (known: ${this.legalEntities.entities.map((e) => e.code).join(', ')}).`,
      );
    const customer = await this.billing.createCustomer({
      externalId: request.externalId,
      name: request.name,
      email: request.email,
      billTo: { ...request.billTo },
      currency: request.currency,
      legalEntity: request.legalEntity,
      paymentTerms: request.paymentTerms ?? 'net_30',
      taxExemptionNumber: request.taxExemptionNumber,
      vatId: request.vatId,
    });
    return toCustomerResponse(customer);
  }

  async get(caller: Principal, id: string): Promise<BillingCustomerResponse> {
    const customer = await this.billing.getCustomer(id, { legalEntities: caller.legalEntities });
    if (!customer)
      throw new ApiError(
        404,
        BillingErrorCode.CUSTOMER_NOT_FOUND,
        `Customer ${id} does not exist.`,
      );
    return toCustomerResponse(customer);
  }

  async list(caller: Principal, query: ListCustomersQuery): Promise<Page<BillingCustomerResponse>> {
    const slice = await this.billing.listCustomers({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      externalId: query.externalId,
    });
    return keysetPage(slice, toCustomerResponse);
  }

  /**
   * Changes a customer's descriptive fields. Its currency and legal entity are fixed: invoices,
   * subscriptions and document numbers hang off them, so a request naming other values is refused.
   */
  async update(
    caller: Principal,
    id: string,
    request: UpdateBillingCustomerRequest,
    ifMatch?: string,
  ): Promise<BillingCustomerResponse> {
    const guard = {
      expectedVersion: expectedVersion(ifMatch),
      legalEntities: caller.legalEntities,
    };
    const current = await this.get(caller, id);
    const { currency, legalEntity, billTo, ...changes } = request;
    assertNoImmutableChange(
      [
        ...(currency !== undefined && currency !== current.currency
          ? [
              {
                pointer: '/currency',
                detail: `currency cannot change from ${current.currency} to ${currency}`,
              },
            ]
          : []),
        ...(legalEntity !== undefined && legalEntity !== current.legalEntity
          ? [
              {
                pointer: '/legalEntity',
                detail: `legalEntity cannot change from ${current.legalEntity} to ${legalEntity}`,
              },
            ]
          : []),
      ],
      'a customer keeps its currency and legal entity; create a new customer instead',
    );
    const customer = await this.billing.updateCustomer(
      id,
      { ...changes, billTo: billTo && { ...billTo } },
      guard,
    );
    return toCustomerResponse(customer);
  }
}
