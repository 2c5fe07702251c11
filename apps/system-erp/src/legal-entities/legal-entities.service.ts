import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@revgate/auth';
import { expectedVersion, keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityVisible, assertTaxRegistration, found } from '../erp.guards';
import { toLegalEntityResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import {
  LegalEntityResponse,
  ListLegalEntitiesQuery,
  UpsertLegalEntityRequest,
} from './dto/legal-entity.dto';

@Injectable()
export class LegalEntitiesService {
  constructor(@Inject(ERP_PROVIDER) private readonly erp: ErpProvider) {}

  async upsert(
    caller: Principal,
    code: string,
    request: UpsertLegalEntityRequest,
    ifMatch?: string,
  ): Promise<{ entity: LegalEntityResponse; created: boolean }> {
    assertEntityVisible(caller, code);
    assertTaxRegistration(request.taxRegistration, '/taxRegistration/number');
    const { record, created } = await this.erp.upsertLegalEntity(
      {
        code,
        name: request.name,
        functionalCurrency: request.functionalCurrency,
        allowedCurrencies: request.allowedCurrencies,
        taxRegistration: { ...request.taxRegistration },
        country: request.country,
        defaultAccounts: { ...request.defaultAccounts },
      },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return { entity: toLegalEntityResponse(record), created };
  }

  async get(caller: Principal, code: string): Promise<LegalEntityResponse> {
    assertEntityVisible(caller, code);
    const entity = found(
      await this.erp.getLegalEntity(code),
      ErpErrorCode.LEGAL_ENTITY_NOT_FOUND,
      `Legal entity ${code} does not exist.`,
    );
    return toLegalEntityResponse(entity);
  }

  async list(caller: Principal, query: ListLegalEntitiesQuery): Promise<Page<LegalEntityResponse>> {
    const slice = await this.erp.listLegalEntities(keysetWindow(query, caller.legalEntities));
    return keysetPage(slice, toLegalEntityResponse);
  }
}
