import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, RequireScopes, UuidParam } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { CreateUsageLineRequest, UsageLineResponse } from './dto/usage-line.dto';
import { UsageLinesService } from './usage-lines.service';

@ApiTags('Usage')
@Controller('subscriptions/:id/usage-lines')
export class UsageLinesController {
  constructor(private readonly usage: UsageLinesService) {}

  /**
   * Attaches rated usage of a meter to the subscription's next invoice, priced by the meter's price
   * (tiers and included quantity per service period, on the period's running total). The same
   * sourceRef with the same content answers 200 with the line recorded; with other content, 409.
   */
  @Post()
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
