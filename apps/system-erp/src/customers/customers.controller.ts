import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, type Principal } from '@revgate/auth';
import { ApiProblems, etagFor, Page, RequireScopes } from '@revgate/platform';
import {
  ETAG_HEADER,
  ExternalIdParam,
  IF_MATCH,
  LEGAL_ENTITY_PATH,
  LegalEntityParam,
} from '../common.dto';
import { CustomersService } from './customers.service';
import {
  CustomerPage,
  CustomerResponse,
  ListCustomersQuery,
  UpsertCustomerRequest,
} from './dto/customer.dto';

const EXTERNAL_ID = {
  name: 'externalId',
  example: 'ACME-001',
  description: "Revgate's id of the customer",
};

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
  @Put(':legalEntity/:externalId')
  @RequireScopes('erp:write')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(EXTERNAL_ID)
  @ApiHeader(IF_MATCH)
  @ApiCreatedResponse({ type: CustomerResponse, headers: ETAG_HEADER, description: 'Created' })
  @ApiOkResponse({
    type: CustomerResponse,
    headers: ETAG_HEADER,
    description: 'Changed or unchanged',
  })
  @ApiProblems(400, 403, 404, 412, 422)
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
    void reply.status(created ? 201 : 200).header('etag', etagFor(customer.version));
    return customer;
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
  @Get(':legalEntity/:externalId')
  @RequireScopes('erp:read')
  @ApiParam(LEGAL_ENTITY_PATH)
  @ApiParam(EXTERNAL_ID)
  @ApiOkResponse({ type: CustomerResponse, headers: ETAG_HEADER })
  @ApiProblems(400, 403, 404)
  async get(
    @Caller() caller: Principal,
    @LegalEntityParam() legalEntity: string,
    @ExternalIdParam() externalId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.get(caller, legalEntity, externalId);
    void reply.header('etag', etagFor(customer.version));
    return customer;
  }
}
