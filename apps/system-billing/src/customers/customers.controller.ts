import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { CustomersService } from './customers.service';
import {
  BillingCustomerPage,
  BillingCustomerResponse,
  CreateBillingCustomerRequest,
  ListCustomersQuery,
  UpdateBillingCustomerRequest,
} from './dto/customer.dto';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: "The customer's ETag from your last read; a stale one gets 412",
};

@ApiTags('Customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /** Creates a customer: who is invoiced, where, in which currency, by which legal entity. */
  @Post()
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: BillingCustomerResponse })
  @ApiProblems(400, 403, 409, 422)
  async create(
    @Caller() caller: Principal,
    @Body() body: CreateBillingCustomerRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingCustomerResponse> {
    const customer = await this.customers.create(caller, body);
    void reply
      .header('etag', etagFor(customer.version))
      .header('location', `customers/${customer.id}`);
    return customer;
  }

  /** Lists customers the caller may see, oldest update first; filter by externalId to find one. */
  @Get()
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingCustomerPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListCustomersQuery,
  ): Promise<Page<BillingCustomerResponse>> {
    return this.customers.list(caller, query);
  }

  @Get(':id')
  @RequireScopes('billing:read')
  @ApiOkResponse({ type: BillingCustomerResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingCustomerResponse> {
    const customer = await this.customers.get(caller, id);
    void reply.header('etag', etagFor(customer.version));
    return customer;
  }

  /**
   * Changes a customer: name, email, bill-to address, payment terms, tax exemption, VAT number,
   * external id. The currency and the legal entity are fixed (422 BILLING_FIELD_IMMUTABLE). Send
   * If-Match with the ETag you read; a stale one gets 412.
   */
  @Patch(':id')
  @RequireScopes('billing:write')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: BillingCustomerResponse })
  @ApiProblems(400, 403, 404, 409, 412, 422)
  async update(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateBillingCustomerRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingCustomerResponse> {
    const customer = await this.customers.update(caller, id, body, ifMatch);
    void reply.header('etag', etagFor(customer.version));
    return customer;
  }
}
