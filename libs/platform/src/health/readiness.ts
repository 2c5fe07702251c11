import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;
/** What a dependency reports without deciding readiness (an upstream's breaker, say). */
export type StatusReport = () => Record<string, unknown>;

/**
 * Libraries register what the app needs to serve traffic (the database), and what it reports about
 * the systems it calls (their breakers): an open breaker does not make the app unready — every
 * instance shares the upstream, and taking them out of the load balancer helps no one — but the
 * probe shows it.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly statuses = new Map<string, StatusReport>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  registerStatus(name: string, report: StatusReport): void {
    this.statuses.set(name, report);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }

  reports(): [string, StatusReport][] {
    return [...this.statuses.entries()];
  }
}
