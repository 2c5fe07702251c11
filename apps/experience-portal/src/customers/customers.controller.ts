import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, CustomerScoped, RequireScopes, UuidParam } from '@revgate/platform';
import { CustomerBillingResponse } from './customer.dto';
import { CustomersService } from './customers.service';

@ApiTags('Customer billing view')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * A customer's subscriptions, invoices, payments and usage to date this period. Open to portal
   * users limited to one customer (the `customer_id` claim, the billing customer's id): any other
   * customer answers 404.
   */
  @Get(':id/billing')
  @RequireScopes('portal:customer')
  @CustomerScoped()
  @ApiOkResponse({ type: CustomerBillingResponse })
  @ApiProblems(400, 403, 404, 502, 503)
  billing(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
  ): Promise<CustomerBillingResponse> {
    return this.customers.billingView(caller, id);
  }
}
