import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { METER_CODE } from '@revgate/canonical';
import { ApiProblems, etagFor, Page, RequireScopes, validationProblem } from '@revgate/platform';
import {
  CreateMeterRequest,
  ListMetersQuery,
  MeterPage,
  MeterResponse,
  UpdateMeterRequest,
} from './dto/meter.dto';
import { MetersService } from './meters.service';

const meterCode = (code: string): string => {
  if (!METER_CODE.test(code))
    throw validationProblem([{ pointer: 'code', detail: 'code must be a meter code' }]);
  return code;
};
const CODE = { name: 'code', description: 'The meter code', example: 'api_calls' };

@ApiTags('Meters')
@Controller('meters')
export class MetersController {
  constructor(private readonly meters: MetersService) {}

  /** Defines a meter: its code, aggregation, unit and late-usage policy. */
  @Post()
  @RequireScopes('u2r:operate')
  @ApiCreatedResponse({ type: MeterResponse })
  @ApiProblems(400, 403, 409)
  async create(
    @Body() body: CreateMeterRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeterResponse> {
    const meter = await this.meters.create(body);
    void reply.header('etag', etagFor(meter.version)).header('location', `meters/${meter.code}`);
    return meter;
  }

  @Get()
  @RequireScopes('u2r:read')
  @ApiOkResponse({ type: MeterPage })
  @ApiProblems(400, 403)
  list(@Query() query: ListMetersQuery): Promise<Page<MeterResponse>> {
    return this.meters.list(query);
  }

  @Get(':code')
  @RequireScopes('u2r:read')
  @ApiParam(CODE)
  @ApiOkResponse({ type: MeterResponse })
  @ApiProblems(400, 403, 404)
  async get(
    @Param('code') code: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeterResponse> {
    const meter = await this.meters.get(meterCode(code));
    void reply.header('etag', etagFor(meter.version));
    return meter;
  }

  /** Changes a meter's name, unit or late-usage policy (its code and aggregation are fixed). */
  @Patch(':code')
  @RequireScopes('u2r:operate')
  @ApiParam(CODE)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from your last read' })
  @ApiOkResponse({ type: MeterResponse })
  @ApiProblems(400, 403, 404, 412)
  async update(
    @Param('code') code: string,
    @Body() body: UpdateMeterRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeterResponse> {
    const meter = await this.meters.update(meterCode(code), body, ifMatch);
    void reply.header('etag', etagFor(meter.version));
    return meter;
  }
}
