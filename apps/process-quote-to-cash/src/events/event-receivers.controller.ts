import { Controller, Headers, HttpCode, Logger, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { EventTypes } from '@revgate/canonical';
import { InboxService, SIGNATURE_HEADER } from '@revgate/events';
import { ApiError, Public } from '@revgate/platform';
import { OrdersService } from '../orders/orders.service';
import { Q2cErrorCode } from '../q2c-error-code';
import { EventSources } from './event-sources.service';

interface ClosedWon {
  id?: string;
  legalEntity?: string;
  accountId?: string;
  currency?: string;
}

/**
 * Where the CRM and billing deliver their webhooks (signed with the secret of quote-to-cash's
 * subscription, see EventSources). Each event has its effect once (the inbox); a closed-won deal
 * starts its order, a finalized invoice is handed to the order that waits for it.
 */
@ApiExcludeController()
@Public()
@Controller('events')
export class EventReceiversController {
  private readonly logger = new Logger(EventReceiversController.name);

  constructor(
    private readonly inbox: InboxService,
    private readonly sources: EventSources,
    private readonly orders: OrdersService,
  ) {}

  @Post(':source')
  @HttpCode(200)
  async receive(
    @Param('source') source: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<{ outcome: string; eventId: string }> {
    if (source !== 'crm' && source !== 'billing')
      throw new ApiError(404, Q2cErrorCode.EVENT_SOURCE_UNKNOWN, `No event source ${source}.`);
    const secrets = await this.sources.secrets(source);
    const received = await this.inbox.receive(
      { rawBody: request.rawBody, signature },
      { secrets },
      async (event) => {
        if (event.type === EventTypes.OpportunityClosedWon) {
          const data = (event.data ?? {}) as ClosedWon;
          const order = await this.orders.startFromEvent(event.subject, event.correlationId, {
            ...(data.legalEntity ? { legalEntity: data.legalEntity } : {}),
            ...(data.accountId ? { accountId: data.accountId } : {}),
            ...(data.currency ? { currency: data.currency } : {}),
          });
          return `order ${order.id}`;
        }
        if (event.type === EventTypes.InvoiceFinalized) {
          const subscriptionId = (event.data as { subscriptionId?: string } | null)?.subscriptionId;
          if (subscriptionId && (await this.orders.invoiceFinalized(subscriptionId, event.id)))
            return 'handed to its order';
          return 'no order waits for it';
        }
        return 'ignored';
      },
    );
    this.logger.log(
      { eventId: received.event.id, type: received.event.type, outcome: received.outcome },
      'event received',
    );
    return { outcome: received.outcome, eventId: received.event.id };
  }
}
