import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HourCount {
  @ApiProperty({ format: 'date-time', description: 'Start of the hour (UTC)' }) hour!: string;
  @ApiProperty() count!: number;
}

export class QuoteToCashFlow {
  @ApiProperty({ description: 'Orders completed in the last 24 hours' }) completedLast24h!: number;
  @ApiProperty({ type: [HourCount], description: 'Orders completed per hour, the last 24 hours' })
  completedPerHour!: HourCount[];
  @ApiProperty() inProgress!: number;
  @ApiProperty({ description: 'Orders parked on an exception' }) needsAttention!: number;
}

export class MeterCount {
  @ApiProperty() meterCode!: string;
  @ApiProperty() events!: number;
  @ApiProperty({ description: 'Decimal string' }) quantity!: string;
}

export class UsageToRevenueFlow {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ description: 'Usage events that count this period' }) eventsThisPeriod!: number;
  @ApiProperty({ type: [MeterCount] }) meters!: MeterCount[];
}

export class CodeCount {
  @ApiProperty() code!: string;
  @ApiProperty() count!: number;
}

export class AgeCount {
  @ApiProperty({ enum: ['under_1h', '1h_to_24h', '1d_to_7d', 'over_7d'] }) bucket!: string;
  @ApiProperty() count!: number;
}

export class ExceptionsSummary {
  @ApiProperty({ description: 'Open exceptions (waiting for someone or for a system)' })
  open!: number;
  @ApiProperty({ type: [CodeCount], description: 'Open ones by code, most first' })
  byCode!: CodeCount[];
  @ApiProperty({ type: [AgeCount], description: 'Open ones by age' }) byAge!: AgeCount[];
}

export class RetryQueue {
  @ApiProperty({ description: 'Work parked on an outage, retrying by itself' })
  workWaitingToRetry!: number;
  @ApiProperty({ description: 'Webhook deliveries waiting for their next attempt, all apps' })
  webhookDeliveriesPending!: number;
}

export class FailedSyncs {
  @ApiProperty({ description: 'Orders and amendments waiting for an operator (not transient)' })
  waitingForOperator!: number;
  @ApiProperty({ description: 'Webhook deliveries given up (dead-lettered), all apps' })
  webhookDeliveriesDead!: number;
}

export class AppLag {
  @ApiProperty({ example: 'system-billing' }) app!: string;
  @ApiProperty({ description: 'Age of the oldest event not yet fanned out (s)' })
  outboxLagSeconds!: number;
}

export class LatencySummary {
  @ApiProperty({ description: 'Orders measured (completed in the last 24 hours)' }) orders!: number;
  @ApiPropertyOptional({ description: 'Median seconds from invoice finalized to ERP posting' })
  p50Seconds?: number;
  @ApiPropertyOptional() p95Seconds?: number;
}

export class UpstreamState {
  @ApiProperty({ example: 'process-quote-to-cash', description: 'The app that calls' })
  app!: string;
  @ApiProperty({ example: 'erp', description: 'The API it calls' }) upstream!: string;
  @ApiProperty({ enum: ['closed', 'half_open', 'open'] }) breaker!: string;
  @ApiProperty({ description: 'Calls in flight' }) inFlight!: number;
  @ApiProperty({ description: 'Calls waiting for a turn in its budget' }) queued!: number;
  @ApiPropertyOptional({ description: 'Its concurrency budget, when it has one' })
  budget?: number;
  @ApiProperty({ description: 'Calls since the app started' }) calls!: number;
  @ApiProperty({
    description: 'Of them failed (5xx, 429, timeout, network, refused by breaker or budget)',
  })
  failures!: number;
}

export class SourceState {
  @ApiProperty({ example: 'q2c' }) source!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ description: 'Why it could not be read' }) detail?: string;
}

export class OverviewResponse {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: QuoteToCashFlow }) quoteToCash!: QuoteToCashFlow;
  @ApiPropertyOptional({ type: UsageToRevenueFlow }) usageToRevenue?: UsageToRevenueFlow;
  @ApiProperty({ type: ExceptionsSummary }) exceptions!: ExceptionsSummary;
  @ApiProperty({ type: RetryQueue }) retryQueue!: RetryQueue;
  @ApiProperty({ type: FailedSyncs }) failedSyncs!: FailedSyncs;
  @ApiProperty({ type: [AppLag] }) outbox!: AppLag[];
  @ApiProperty({ type: LatencySummary, description: 'Invoice finalized → receivable posted' })
  invoiceToPosting!: LatencySummary;
  @ApiProperty({ type: [UpstreamState], description: 'Breaker and budget per caller and upstream' })
  upstreams!: UpstreamState[];
  @ApiProperty({ type: [SourceState], description: 'What was read, and what could not be' })
  sources!: SourceState[];
  @ApiProperty({ description: 'A list was longer than PORTAL_SCAN_LIMIT: counts are partial' })
  truncated!: boolean;
}
