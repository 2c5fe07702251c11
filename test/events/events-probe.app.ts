import { Body, Controller, HttpCode, Injectable, Module, Post, Req, Headers } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AuthModule } from '@revgate/auth';
import {
  EventsConfig,
  eventIdFor,
  EventsModule,
  InboxEventEntity,
  InboxModule,
  InboxService,
  OutboxEventEntity,
  OutboxWriter,
  SIGNATURE_HEADER,
  WEBHOOK_ENTITIES,
  WebhooksModule,
} from '@revgate/events';
import { IdempotencyModule, IdempotencyRecordEntity } from '@revgate/idempotency';
import { type AppPersistence, PersistenceModule, TransactionHost } from '@revgate/persistence';
import { AppSpec, Public, RequireScopes } from '@revgate/platform';
import { EventsProbeInitial1796033682216 } from './migrations/1796033682216-events-probe-initial';

/**
 * A small producer and consumer of events for the libs/events tests: it emits probe events into its
 * outbox, relays them to webhook subscribers, and receives webhooks through the inbox.
 */

export const PROBE_EVENT_TYPES = [
  'probe.thing.created.v1',
  'probe.thing.deleted.v1',
  'probe.other.happened.v1',
] as const;

/** What the receiver's handler does: one row per subject, counting the effects it had. */
@Entity({ name: 'probe_effects' })
export class ProbeEffectEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'integer' })
  effects!: number;
}

export const eventsProbePersistence: AppPersistence = {
  schema: 'events_probe',
  entities: [
    OutboxEventEntity,
    ...WEBHOOK_ENTITIES,
    InboxEventEntity,
    IdempotencyRecordEntity,
    ProbeEffectEntity,
  ],
  migrations: [EventsProbeInitial1796033682216],
};

export class ProbeConfig extends EventsConfig {}

class EmitRequest {
  @IsString()
  type!: string;

  @IsOptional()
  @IsString()
  subject?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  count?: number;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: string[];

  /** Business key: the events' ids are made from it (eventIdFor), so emitting again adds nothing. */
  @IsOptional()
  @IsString()
  key?: string;
}

@Controller('emit')
export class EmitController {
  constructor(
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Writes `count` events of `type` (or one of each of `types`) to the outbox in one transaction. */
  @Post()
  @RequireScopes('probe:write')
  async emit(@Body() body: EmitRequest): Promise<{ ids: string[] }> {
    const types = body.types ?? Array.from({ length: body.count ?? 1 }, () => body.type);
    const envelopes = await this.tx.run(() =>
      this.outbox.appendMany(
        types.map((type, i) => ({
          ...(body.key ? { id: eventIdFor(`${body.key}:${i}`) } : {}),
          type,
          subject: body.subject ?? `thing-${i}`,
          data: { n: i, note: 'héllo "quoted" \u2603' },
        })),
      ),
    );
    return { ids: envelopes.map((e) => e.id) };
  }
}

/** What the receiver checks with, and a gate a test can hold its handler at. */
@Injectable()
export class ReceiverState {
  secrets: string[] = [];
  waitMs = 10_000;
  gate?: Promise<void>;
  entered = 0;
  /** Make the handler throw (after its effect), as a failing consumer would. */
  fail = false;
}

@Controller('hooks')
export class ReceiverController {
  constructor(
    private readonly inbox: InboxService,
    private readonly tx: TransactionHost,
    private readonly state: ReceiverState,
  ) {}

  /** A webhook receiver as a process app will mount one: signature, inbox, effect — once. */
  @Post()
  @Public()
  @HttpCode(200)
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers(SIGNATURE_HEADER) signature: string | undefined,
  ): Promise<{ outcome: string; eventId: string }> {
    const received = await this.inbox.receive(
      { rawBody: request.rawBody, signature },
      { secrets: this.state.secrets, waitMs: this.state.waitMs },
      async (event) => {
        this.state.entered += 1;
        await this.state.gate;
        await this.tx.manager.query(
          `insert into events_probe.probe_effects (subject, effects) values ($1, 1)
           on conflict (subject) do update set effects = probe_effects.effects + 1`,
          [event.subject],
        );
        if (this.state.fail) throw new Error('the handler failed');
      },
    );
    return { outcome: received.outcome, eventId: received.event.id };
  }
}

@Module({
  imports: [
    PersistenceModule.forApp(eventsProbePersistence),
    AuthModule.forApp(),
    IdempotencyModule,
    EventsModule,
    InboxModule,
    WebhooksModule.forApp({ domain: 'probe', eventTypes: PROBE_EVENT_TYPES }),
  ],
  controllers: [EmitController, ReceiverController],
  providers: [ReceiverState],
})
export class EventsProbeModule {}

export const eventsProbeApp: AppSpec<ProbeConfig> = {
  name: 'events-probe',
  title: 'Events probe',
  description: 'A producer and consumer of events for the libs/events tests',
  basePath: 'probe/v1',
  version: '1',
  config: ProbeConfig,
  module: EventsProbeModule,
  scopes: {},
};
