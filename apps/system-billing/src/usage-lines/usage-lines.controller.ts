import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import {
  CreateUsageLineRequest,
  RecordUsageLinesRequest,
  RecordUsageLinesResponse,
  UsageLineResponse,
} from './dto/usage-line.dto';
import { UsageLinesService } from './usage-lines.service';

@ApiTags('Usage')
@Controller()
export class UsageLinesController {
  constructor(private readonly usage: UsageLinesService) {}

  /**
   * Records up to 1,000 usage lines of any subscriptions in one request, each exactly as
   * POST /subscriptions/{id}/usage-lines would, with one result per line in order: created,
   * existing (sent before with the same content) or refused with the problem it alone would have
   * got — the others are recorded. A malformed request (not an array, too many lines, a line that
   * fails validation) is refused whole with 400 and records nothing.
   */
  @Post('usage-lines/batch')
  @HttpCode(200)
  @RequireScopes('billing:write')
  @ApiOkResponse({ type: RecordUsageLinesResponse, description: 'One result per line' })
  @ApiProblems(400, 403, 413)
  recordBatch(
    @Caller() caller: Principal,
    @Body() body: RecordUsageLinesRequest,
  ): Promise<RecordUsageLinesResponse> {
    return this.usage.recordMany(caller, body.lines);
  }

  /**
   * Attaches rated usage of a meter to the subscription's next invoice, priced by the meter's price
   * (tiers and included quantity per service period, on the period's running total). The same
   * sourceRef with the same content answers 200 with the line recorded; with other content, 409.
   */
  @Post('subscriptions/:id/usage-lines')
  @RequireScopes('billing:write')
  @ApiCreatedResponse({ type: UsageLineResponse, description: 'Recorded now' })
  @ApiOkResponse({ type: UsageLineResponse, description: 'Already recorded with this content' })
  @ApiProblems(400, 403, 404, 409, 422)
  async record(
    @Caller() caller: Principal,
    @UuidParam('id') id: string,
    @Body() body: CreateUsageLineRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UsageLineResponse> {
    const { line, created } = await this.usage.record(caller, id, body);
    void reply.status(created ? 201 : 200);
    return line;
  }
}
