import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, etagFor, Page, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { CustomersService } from './customers.service';
import {
  BillingCustomerPage,
  BillingCustomerResponse,
  CreateBillingCustomerRequest,
  ListCustomersQuery,
} from './dto/customer.dto';

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
}
