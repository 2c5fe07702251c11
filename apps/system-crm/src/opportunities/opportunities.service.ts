import { Inject, Injectable } from '@nestjs/common';
import { ApiError, expectedVersion, Page, keysetPage, keysetWindow } from '@revgate/platform';
import type { Principal } from '@revgate/auth';
import { EventTypes } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { CrmErrorCode } from '../crm-error-code';
import { toOpportunityResponse } from '../crm.mappers';
import { CRM_PROVIDER, type CrmProvider, NewOpportunityLine } from '../providers/crm-provider.port';
import {
  ChangeStageRequest,
  CreateOpportunityRequest,
  ListOpportunitiesQuery,
  OpportunityLineRequest,
  OpportunityResponse,
  UpdateBillingStatusRequest,
} from './dto/opportunity.dto';

const toLines = (lines: OpportunityLineRequest[]): NewOpportunityLine[] =>
  lines.map((l) => ({ ...l, discountPercent: l.discountPercent ?? '0' }));

@Injectable()
export class OpportunitiesService {
  constructor(
    @Inject(CRM_PROVIDER) private readonly crm: CrmProvider,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(caller: Principal, request: CreateOpportunityRequest): Promise<OpportunityResponse> {
    const created = await this.crm.createOpportunity(
      { ...request, lines: toLines(request.lines) },
      caller.subject,
      caller.legalEntities,
    );
    return toOpportunityResponse(created);
  }

  async get(caller: Principal, id: string): Promise<OpportunityResponse> {
    const found = await this.crm.getOpportunity(id, caller.legalEntities);
    if (!found)
      throw new ApiError(
        404,
        CrmErrorCode.OPPORTUNITY_NOT_FOUND,
        `Opportunity ${id} does not exist.`,
      );
    return toOpportunityResponse(found);
  }

  async list(caller: Principal, query: ListOpportunitiesQuery): Promise<Page<OpportunityResponse>> {
    const slice = await this.crm.listOpportunities({
      ...keysetWindow(query, caller.legalEntities),
      stage: query.stage,
      accountId: query.accountId,
    });
    return keysetPage(slice, toOpportunityResponse);
  }

  async replaceLines(
    caller: Principal,
    id: string,
    lines: OpportunityLineRequest[],
    ifMatch?: string,
  ): Promise<OpportunityResponse> {
    const updated = await this.crm.replaceLines(id, toLines(lines), this.guard(caller, ifMatch));
    return toOpportunityResponse(updated);
  }

  /**
   * Moves the opportunity to a stage. Reaching closed_won appends the canonical event to the outbox
   * in the same transaction, so the deal is never won without the event (or the reverse).
   */
  async changeStage(
    caller: Principal,
    id: string,
    request: ChangeStageRequest,
    ifMatch?: string,
  ): Promise<OpportunityResponse> {
    return this.tx.run(async () => {
      const { opportunity, changed } = await this.crm.changeStage(
        id,
        request.stage,
        this.guard(caller, ifMatch),
      );
      const response = toOpportunityResponse(opportunity);
      if (changed && opportunity.stage === 'closed_won') {
        await this.outbox.append(EventTypes.OpportunityClosedWon, opportunity.id, response);
      }
      return response;
    });
  }

  async updateBillingStatus(
    caller: Principal,
    id: string,
    request: UpdateBillingStatusRequest,
    ifMatch?: string,
  ): Promise<OpportunityResponse> {
    const updated = await this.crm.updateBillingStatus(id, request, this.guard(caller, ifMatch));
    return toOpportunityResponse(updated);
  }

  private guard(
    caller: Principal,
    ifMatch?: string,
  ): { expectedVersion?: number; actor: string; legalEntities?: readonly string[] } {
    return {
      expectedVersion: expectedVersion(ifMatch),
      actor: caller.subject,
      legalEntities: caller.legalEntities,
    };
  }
}
