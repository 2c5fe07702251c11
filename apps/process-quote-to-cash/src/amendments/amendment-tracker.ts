import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@revgate/persistence';
import { initialSteps, Tracker } from '../work/tracked';
import { AMENDMENT_STEPS, type AmendmentRequestData } from './amendment-model';
import { AmendmentEntity } from './amendment.entity';

/** The amendments' trace (see Tracker), and how one is opened. */
@Injectable()
export class AmendmentTracker extends Tracker<AmendmentEntity> {
  constructor(tx: TransactionHost) {
    super(tx, AmendmentEntity, {
      workType: 'amendment',
      of: (a) => ({
        orderId: a.orderId,
        opportunityId: a.opportunityId,
        accountId: a.accountId,
        legalEntity: a.legalEntity,
        correlationId: a.correlationId,
      }),
    });
  }

  async open(input: {
    id: string;
    orderId: string;
    opportunityId: string;
    accountId: string | null;
    legalEntity: string | null;
    request: AmendmentRequestData;
    createdBy: string;
    correlationId: string;
  }): Promise<AmendmentEntity> {
    const now = new Date();
    const row: AmendmentEntity = {
      ...input,
      type: input.request.type,
      status: 'in_progress',
      currentStep: null,
      steps: initialSteps(AMENDMENT_STEPS),
      refs: {},
      exception: null,
      lastError: null,
      attempts: 0,
      completedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.tx.manager.insert(AmendmentEntity, row);
    return row;
  }
}
