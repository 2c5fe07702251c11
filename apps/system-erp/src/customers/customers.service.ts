import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@revgate/auth';
import { expectedVersion, keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityVisible, assertTaxRegistration, found } from '../erp.guards';
import { toCustomerResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { CustomerResponse, ListCustomersQuery, UpsertCustomerRequest } from './dto/customer.dto';

@Injectable()
export class CustomersService {
  constructor(@Inject(ERP_PROVIDER) private readonly erp: ErpProvider) {}

  async upsert(
    caller: Principal,
    legalEntity: string,
    externalId: string,
    request: UpsertCustomerRequest,
    ifMatch?: string,
  ): Promise<{ customer: CustomerResponse; created: boolean }> {
    assertEntityVisible(caller, legalEntity);
    assertTaxRegistration(request.taxRegistration, '/taxRegistration/number');
    const { record, created } = await this.erp.upsertCustomer(
      {
        legalEntity,
        externalId,
        name: request.name,
        paymentTerms: request.paymentTerms,
        ...(request.currency === undefined ? {} : { currency: request.currency }),
        ...(request.country === undefined ? {} : { country: request.country }),
        ...(request.taxRegistration === undefined
          ? {}
          : { taxRegistration: { ...request.taxRegistration } }),
      },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return { customer: toCustomerResponse(record), created };
  }

  async get(caller: Principal, legalEntity: string, externalId: string): Promise<CustomerResponse> {
    assertEntityVisible(caller, legalEntity);
    return toCustomerResponse(
      found(
        await this.erp.getCustomer(legalEntity, externalId),
        ErpErrorCode.CUSTOMER_NOT_FOUND,
        `Legal entity ${legalEntity} has no customer ${externalId}.`,
      ),
    );
  }

  async list(caller: Principal, query: ListCustomersQuery): Promise<Page<CustomerResponse>> {
    const slice = await this.erp.listCustomers({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
    });
    return keysetPage(slice, toCustomerResponse);
  }
}
