import { Controller, Get, Module } from '@nestjs/common';
import { AuthModule, Caller, type Principal } from '@revgate/auth';
import {
  AppSpec,
  BaseConfig,
  currentCorrelationId,
  outboundHeaders,
  CustomerScoped,
  Public,
  RequireScopes,
} from '@revgate/platform';

/** Details a 500 must never show its caller. */
export const PROBE_SECRET = 'boom secret: password=hunter2 at /srv/revgate/internal.ts';

/** Routes that fail the way real code does, to see what the platform makes of it. */
@Public()
@Controller('fail')
export class ProbeController {
  @Get('throw')
  throwError(): never {
    throw new Error(PROBE_SECRET);
  }

  @Get('reject')
  async reject(): Promise<never> {
    await Promise.resolve();
    throw new TypeError(`Cannot read properties of undefined (reading '${PROBE_SECRET}')`);
  }

  /** A library error that happens to carry an HTTP-looking status: still our fault, so a 500. */
  @Get('status-400')
  statusError(): never {
    throw Object.assign(new Error(PROBE_SECRET), { statusCode: 400 });
  }
}

/** What code deep in a request sees of its correlation id (for outbound calls and events). */
@Public()
@Controller('context')
export class ContextController {
  @Get()
  async context(): Promise<{ correlationId?: string; outbound: Record<string, string> }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { correlationId: currentCorrelationId(), outbound: outboundHeaders() };
  }
}

/** Routes that show how access rules apply to routes that forget them, or honour a customer claim. */
@Controller('access')
export class AccessController {
  @Get('unscoped')
  unscoped(): { open: true } {
    return { open: true };
  }

  @Get('customer')
  @RequireScopes('crm:read')
  @CustomerScoped()
  customer(@Caller() caller: Principal): { customerId?: string; scopes: string[] } {
    return { customerId: caller.customerId, scopes: [...caller.scopes] };
  }
}

@Module({
  imports: [AuthModule.forApp()],
  controllers: [ProbeController, ContextController, AccessController],
})
export class ProbeModule {}

export const probeApp: AppSpec = {
  name: 'probe',
  title: 'Platform probe',
  description: 'A minimal app for the platform tests',
  basePath: 'probe/v1',
  version: '1',
  config: BaseConfig,
  module: ProbeModule,
  scopes: {},
};
