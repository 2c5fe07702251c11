import { Body, Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, Page, RequireScopes } from '@revgate/platform';
import { ExternalIdParam, LegalEntityParam } from '../common.dto';
import { LookupRoute, upserted, UpsertRoute, withETag } from '../erp.http';
import { CustomersService } from './customers.service';
import {
  CustomerPage,
  CustomerResponse,
  ListCustomersQuery,
  UpsertCustomerRequest,
} from './dto/customer.dto';

@ApiTags('Customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * Creates the customer under its external id (201) or brings it up to date (200), like
   * NetSuite's `PUT /customer/eid:X`: a retry finds the customer instead of making a second one.
   * Its currency must be one the entity allows; an EU VAT number must have its member state's
   * format (422 ERP_TAX_REGISTRATION_INVALID).
   */
  @UpsertRoute(CustomerResponse, {
    name: 'externalId',
    description: "Revgate's id of the customer",
    example: 'ACME-001',
  })
  async upsert(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Body() body: UpsertCustomerRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const { customer, created } = await this.customers.upsert(
      caller,
      legalEntity,
      externalId,
      body,
      ifMatch,
    );
    return upserted(reply, customer, created);
  }

  /** Lists customers of the entities the caller may see, oldest update first. */
  @Get()
  @RequireScopes('erp:read')
  @ApiOkResponse({ type: CustomerPage })
  @ApiProblems(400, 403)
  list(
    @Caller() caller: Principal,
    @Query() query: ListCustomersQuery,
  ): Promise<Page<CustomerResponse>> {
    return this.customers.list(caller, query);
  }

  /** Looks a customer up by its external id. */
  @LookupRoute(CustomerResponse, {
    name: 'externalId',
    description: "Revgate's id of the customer",
    example: 'ACME-001',
  })
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return withETag(reply, await this.customers.get(caller, legalEntity, externalId));
  }
}
