import { Body, Controller, Get, Headers, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { AmendmentsService } from './amendments.service';
import { AmendmentResponse, CreateAmendmentRequest } from './dto/amendment.dto';

@ApiTags('Subscriptions')
@Controller('subscriptions/:id/amendments')
export class AmendmentsController {
  constructor(private readonly amendments: AmendmentsService) {}

  /**
   * Amends a subscription: upgrade, downgrade, quantity_change, add_item (co-termed), renewal,
   * cancel_now or cancel_at_period_end. Within the period already invoiced, the unused days are
   * prorated by the day-based rule: a net charge waits for the next invoice as prorated lines, a net
   * credit becomes a credit memo. Emits billing.subscription.amended.v1 (or .canceled.v1). A
   * canceled subscription answers 409 BILLING_SUBSCRIPTION_CANCELED.
   */
  @Post()
  @RequireScopes('billing:write')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: "The subscription's ETag from your last read; a stale one gets 412",
  })
  @ApiCreatedResponse({ type: AmendmentResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422, 503)
  amend(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: CreateAmendmentRequest,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<AmendmentResponse> {
    return this.amendments.amend(caller, id, body, ifMatch);
  }

  /** The subscription's amendments, oldest first, with their prorated lines. */
  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: [AmendmentResponse] })
  @ApiProblems(400, 403, 404)
  list(@Caller() caller: Principal, @UuidParam('id') id: string): Promise<AmendmentResponse[]> {
    return this.amendments.list(caller, id);
  }
}
