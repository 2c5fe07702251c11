import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, RequireScopes, UuidParam } from '@revgate/platform';
import { AmendmentsService } from './amendments.service';
import { AmendmentList, AmendmentResponse, CreateAmendmentRequest } from './dto/amendment.dto';

@ApiTags('Amendments')
@Controller()
export class AmendmentsController {
  constructor(private readonly amendments: AmendmentsService) {}

  /**
   * Changes the contract of a completed order — upgrade, downgrade, quantity change, added item,
   * renewal, cancellation now or at period end — and answers 202 at once. As a durable workflow:
   * billing changes the subscription with its declared day-based proration; a net charge is
   * invoiced (tax committed), a net credit is billing's credit memo; either is posted to the ERP;
   * the CRM learns it; ContractAmended is emitted. 409 Q2C_ORDER_NOT_ACTIVE before the order is
   * completed; 422 Q2C_PRODUCT_UNMAPPED for a product without a mapping in the order's currency.
   */
  @Post('orders/:id/amendments')
  @HttpCode(202)
  @RequireScopes('q2c:write')
  @ApiAcceptedResponse({ type: AmendmentResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  create(
    @Caller() caller: Principal,
    @UuidParam('id') orderId: string,
    @Body() body: CreateAmendmentRequest,
  ): Promise<AmendmentResponse> {
    return this.amendments.create(caller, orderId, body);
  }

  @Get('orders/:id/amendments')
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: AmendmentList })
  @ApiProblems(400, 403, 404)
  async ofOrder(
    @Caller() caller: Principal,
    @UuidParam('id') orderId: string,
  ): Promise<AmendmentList> {
    return { data: await this.amendments.ofOrder(caller, orderId) };
  }

  /** An amendment's trace: its steps, the ids it made, why it waits. */
  @Get('amendments/:id')
  @RequireScopes('q2c:read')
  @ApiOkResponse({ type: AmendmentResponse })
  @ApiProblems(400, 403, 404)
  get(@Caller() caller: Principal, @UuidParam('id') id: string): Promise<AmendmentResponse> {
    return this.amendments.get(caller, id);
  }
}
