import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcessApp, type ProcessApp } from '../../support/process-app';

/**
 * The seed of every random choice of the chaos suite (kill moments, delivery order, delays):
 * CHAOS_SEED replays a failed run exactly as far as the suite's own choices go.
 */
export const CHAOS_SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000_007);

/** mulberry32: a small seeded generator, enough for test choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** What the suite did and found, summed over its scenarios. */
export interface Tally {
  kills: number;
  faults: number;
  duplicates: number;
  lost: number;
  /** Per scenario: what it injected and what it checked, for the report. */
  scenarios: Record<string, Record<string, number | string>>;
}

export const tally: Tally = { kills: 0, faults: 0, duplicates: 0, lost: 0, scenarios: {} };

export function summaryLine(t: Tally = tally): string {
  return (
    `chaos summary (seed ${CHAOS_SEED}): kills survived ${t.kills}, faults injected ${t.faults}, ` +
    `duplicates found ${t.duplicates} (must be 0), records lost ${t.lost} (must be 0)`
  );
}

/** Writes the tally to test-results/chaos-summary.json (CI keeps test-results/). */
export function writeSummary(t: Tally = tally): string {
  const dir = join(__dirname, '..', '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'chaos-summary.json');
  writeFileSync(file, JSON.stringify({ seed: CHAOS_SEED, ...t }, null, 2));
  return file;
}

/**
 * A process app that the suite kills (SIGKILL: no shutdown hook runs) and starts again on the
 * same database, data folder and port, counting every kill in the tally.
 */
export class CrashingApp {
  app!: ProcessApp;
  private port?: number;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return this.app.url;
  }

  async start(): Promise<this> {
    this.app = await startProcessApp(this.name, this.env, this.port);
    this.port = Number(new URL(this.app.url).port);
    return this;
  }

  /** SIGKILL, then the same app again; the kill counts once it is up again. */
  async crash(): Promise<void> {
    await this.app.kill();
    await this.start();
    tally.kills += 1;
    tally.faults += 1;
  }

  /** The last lines the running process wrote (for a failure's report). */
  tail(lines = 40): string {
    return this.app.output.slice(-lines).join('\n');
  }

  /** True while the process that was started last has not exited. */
  alive(): boolean {
    return this.app.child.exitCode === null && this.app.child.signalCode === null;
  }

  async stop(): Promise<void> {
    await this.app.stop();
  }
}

/** Polls `probe` until `done` says so, or the time is up (then answers the last value). */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  seconds: number,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + seconds * 1000;
  let value = await probe();
  while (!done(value) && Date.now() < until) {
    await sleep(everyMs);
    value = await probe();
  }
  return value;
}
