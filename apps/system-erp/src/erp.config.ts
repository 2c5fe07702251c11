import { IsBoolean, IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { BaseConfig, toBool, toInt } from '@revgate/platform';

/**
 * The ERPs the API can front. The Tryton connector (providers/tryton) joins this list with its
 * own variables (URL, database, credentials); NetSuite follows with its issue.
 */
export const ERP_PROVIDERS: readonly string[] = ['sandbox'];

const FAULT_RATE = /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/;

export class ErpConfig extends BaseConfig {
  @toInt()
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
  override PORT = 3004;

  /** Which ERP the API fronts. */
  @IsIn(ERP_PROVIDERS, { message: `ERP_PROVIDER must be one of ${ERP_PROVIDERS.join(', ')}` })
  ERP_PROVIDER = 'sandbox';

  /** Seed demo legal entities (US01, DE01) with a chart and open periods into an empty sandbox. */
  @toBool()
  @IsBoolean({ message: 'ERP_SEED_DEMO must be true or false' })
  ERP_SEED_DEMO = true;

  /** Sandbox governance at start (PUT /sandbox/governance changes it at run time); 0 turns a limit off. */
  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  @Min(0, { message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  @Max(10000, { message: 'ERP_SANDBOX_CONCURRENCY_LIMIT must be an integer from 0 to 10000' })
  ERP_SANDBOX_CONCURRENCY_LIMIT = 0;

  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  @Min(0, { message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  @Max(100000, { message: 'ERP_SANDBOX_RATE_PER_SECOND must be an integer from 0 to 100000' })
  ERP_SANDBOX_RATE_PER_SECOND = 0;

  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  @Min(0, { message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  @Max(60000, { message: 'ERP_SANDBOX_LATENCY_MS must be an integer from 0 to 60000' })
  ERP_SANDBOX_LATENCY_MS = 0;

  /** Share of calls that fail (the ERP's 500, answered as 502 ERP_PROVIDER_ERROR), 0 to 1. */
  @Matches(FAULT_RATE, {
    message: 'ERP_SANDBOX_FAULT_RATE must be a decimal from 0 to 1, e.g. 0.05',
  })
  ERP_SANDBOX_FAULT_RATE = '0';

  /** Seed of the fault draws, so a run fails the same calls every time. */
  @toInt()
  @IsInt({ message: 'ERP_SANDBOX_FAULT_SEED must be an integer' })
  ERP_SANDBOX_FAULT_SEED = 1;
}
