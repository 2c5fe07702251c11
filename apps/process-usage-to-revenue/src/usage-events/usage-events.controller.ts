import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Page, RequireScopes, validationProblem } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { USAGE_EVENT_ID } from '@revgate/canonical';
import {
  IngestUsageRequest,
  IngestUsageResponse,
  LedgerEventPage,
  LedgerEventResponse,
  ListUsageEventsQuery,
} from './dto/usage-event.dto';
import { UsageEventsService } from './usage-events.service';

const eventId = (id: string): string => {
  if (!USAGE_EVENT_ID.test(id))
    throw validationProblem([{ pointer: 'id', detail: 'id must be a usage event id' }]);
  return id;
};

@ApiTags('Usage events')
@Controller('usage-events')
export class UsageEventsController {
  constructor(private readonly events: UsageEventsService) {}

  /**
   * Ingests a batch of up to 1,000 usage events. Each event gets its fate, in order: accepted
   * (stored, with the period it counts in), duplicate (its id is already in the ledger or earlier
   * in the batch: nothing changes, whatever the content) or rejected (with the reason). An event
   * timestamped more than 5 minutes ahead of the server's clock is rejected. An event of a closed
   * period follows its meter's late-usage policy: carried forward to the next open period, or held
   * for review — reported, never dropped. A batch of more than 1,000 events is refused whole (413).
   */
  @Post()
  @HttpCode(200)
  @RequireScopes('u2r:ingest')
  @ApiBody({ type: IngestUsageRequest })
  @ApiOkResponse({ type: IngestUsageResponse, description: 'One fate per event' })
  @ApiProblems(400, 403, 413, 422)
  ingest(@Body() body: unknown): Promise<IngestUsageResponse> {
    // Checked by hand, event by event (usage-event.validator.ts), not by the validation pipe.
    return this.events.ingest(body);
  }

  /** The events that count in a period (with filters), in id order. */
  @Get()
  @RequireScopes('u2r:read')
  @ApiOkResponse({ type: LedgerEventPage })
  @ApiProblems(400, 403)
  list(@Query() query: ListUsageEventsQuery): Promise<Page<LedgerEventResponse>> {
    return this.events.list(query);
  }

  @Get(':id')
  @RequireScopes('u2r:read')
  @ApiParam({ name: 'id', description: 'The event id' })
  @ApiOkResponse({ type: LedgerEventResponse })
  @ApiProblems(400, 403, 404)
  get(@Param('id') id: string): Promise<LedgerEventResponse> {
    return this.events.get(eventId(id));
  }

  /**
   * Releases a held event (late for a closed period, under a meter that holds late usage) into the
   * first open period after its own, where the next billing run rates it.
   */
  @Post(':id/release')
  @HttpCode(200)
  @RequireScopes('u2r:operate')
  @ApiParam({ name: 'id', description: 'The event id' })
  @ApiOkResponse({ type: LedgerEventResponse })
  @ApiProblems(400, 403, 404, 409)
  release(@Caller() caller: Principal, @Param('id') id: string): Promise<LedgerEventResponse> {
    return this.events.release(eventId(id), caller.subject);
  }
}
