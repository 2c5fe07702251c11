import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Public } from '../http/access';
import { ReadinessRegistry } from './readiness';

const READY_TIMEOUT_MS = 3000;

@ApiTags('Operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  private readonly logger = new Logger(HealthController.name);

  /** The process is up. Never touches dependencies. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The app can serve traffic: every dependency it registered answers. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      ...this.readiness.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) =>
              setTimeout(
                () => reject(new Error(`timed out after ${READY_TIMEOUT_MS} ms`)),
                READY_TIMEOUT_MS,
              ).unref(),
            ),
          ]);
          return indicator.up();
        } catch (e) {
          // The probe is public: say what is down, log why (hosts and credentials stay inside).
          this.logger.warn(
            { check: name, err: e instanceof Error ? e.message : String(e) },
            `readiness: ${name} is down`,
          );
          return indicator.down();
        }
      }),
      ...this.readiness.reports().map(
        ([name, report]) =>
          () =>
            Promise.resolve(this.indicators.check(name).up(report())),
      ),
    ]);
  }
}
