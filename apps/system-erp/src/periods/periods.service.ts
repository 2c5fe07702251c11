import { Inject, Injectable } from '@nestjs/common';
import { ErpEvents } from '../events/erp-events';
import type { AccountingPeriodStatus } from '@revgate/canonical';
import { type Principal } from '@revgate/auth';
import { expectedVersion, keysetPage, keysetWindow, Page } from '@revgate/platform';
import { ErpErrorCode } from '../erp-error-code';
import { assertEntityVisible, found } from '../erp.guards';
import { toPeriodResponse } from '../erp.mappers';
import { ERP_PROVIDER, type ErpProvider } from '../providers/erp-provider.port';
import { ListPeriodsQuery, PeriodResponse } from './dto/period.dto';

@Injectable()
export class PeriodsService {
  constructor(
    @Inject(ERP_PROVIDER) private readonly erp: ErpProvider,
    private readonly events: ErpEvents,
  ) {}

  async open(
    caller: Principal,
    legalEntity: string,
    period: string,
  ): Promise<{ period: PeriodResponse; created: boolean }> {
    assertEntityVisible(caller, legalEntity);
    const { record, created } = await this.erp.openPeriod(legalEntity, period);
    return { period: toPeriodResponse(record), created };
  }

  async get(caller: Principal, legalEntity: string, period: string): Promise<PeriodResponse> {
    assertEntityVisible(caller, legalEntity);
    return toPeriodResponse(
      found(
        await this.erp.getPeriod(legalEntity, period),
        ErpErrorCode.PERIOD_NOT_FOUND,
        `Legal entity ${legalEntity} has no accounting period ${period}.`,
      ),
    );
  }

  async list(caller: Principal, query: ListPeriodsQuery): Promise<Page<PeriodResponse>> {
    const slice = await this.erp.listPeriods({
      ...keysetWindow(query, caller.legalEntities),
      legalEntity: query.legalEntity,
      status: query.status,
    });
    return keysetPage(slice, toPeriodResponse);
  }

  async setStatus(
    caller: Principal,
    legalEntity: string,
    period: string,
    status: AccountingPeriodStatus,
    ifMatch?: string,
  ): Promise<PeriodResponse> {
    assertEntityVisible(caller, legalEntity);
    const { record, changed } = await this.erp.setPeriodStatus(legalEntity, period, status, {
      expectedVersion: expectedVersion(ifMatch),
    });
    const response = toPeriodResponse(record);
    // Only a change is news: asking for the status a period already has emits nothing.
    if (changed)
      await this.events.emit(
        { type: 'period', legalEntity, period, status: record.status, version: record.version },
        response,
      );
    return response;
  }
}
