import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { DataSource, LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { APP_CONFIG, ApiError, BaseConfig } from '@revgate/platform';
import { TransactionHost } from '@revgate/persistence';
import type { Principal } from '@revgate/auth';
import { IdempotencyErrorCode } from './idempotency-error-code';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { OMIT_FROM_REPLAY, withoutFields } from './omit-from-replay';
import { requestHash } from './request-hash';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const MUTATING = new Set(['POST', 'PUT', 'PATCH']);
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying with the body. */
const REPLAYED_RESPONSE_HEADERS = ['etag', 'location'];
/** A first request holding a key longer than this is presumed dead (its process crashed). */
const STALE_LOCK_MS = 60_000;

/** `lockedAt` identifies our hold on the key (a retry that takes a dead hold over writes its own). */
type Decision =
  { kind: 'proceed'; lockedAt: Date } | { kind: 'replay'; record: IdempotencyRecordEntity };

/**
 * Stripe's Idempotency-Key semantics on every POST/PUT/PATCH: the first response is stored per caller
 * and replayed for the same key and body; another body under the key is a 422; a request still
 * running with the key is a 409. Requests that fail are not stored, so they can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly records: Repository<IdempotencyRecordEntity>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: BaseConfig,
    private readonly tx: TransactionHost,
  ) {
    this.records = dataSource.getRepository(IdempotencyRecordEntity);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (!MUTATING.has(request.method) || raw === undefined || !request.user) return next.handle();
    // A repeated header is as invalid as a malformed one.
    const key = Array.isArray(raw) ? (raw.length === 1 ? raw.join('') : '') : raw;
    if (!KEY_FORMAT.test(key)) {
      throw new ApiError(
        400,
        IdempotencyErrorCode.KEY_INVALID,
        'Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice).',
      );
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const caller = request.user.subject;
    const hash = requestHash(request.method, request.url, request.body);
    return from(this.decide(caller, key, hash, request)).pipe(
      mergeMap((decision) => {
        if (decision.kind === 'replay') {
          // Nest set the route's status before interceptors run; the first response's status wins.
          if (decision.record.statusCode !== null) void reply.status(decision.record.statusCode);
          void reply.headers({
            ...(decision.record.responseHeaders ?? {}),
            [REPLAYED_HEADER]: 'true',
          });
          return of(decision.record.responseBody);
        }
        const omit = Reflect.getMetadata(OMIT_FROM_REPLAY, context.getHandler()) as
          string[] | undefined;
        return from(this.runOnce(caller, key, decision.lockedAt, reply, next, omit));
      }),
    );
  }

  private async decide(
    caller: string,
    key: string,
    hash: string,
    request: FastifyRequest,
  ): Promise<Decision> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      const inserted = await this.records
        .createQueryBuilder()
        .insert()
        .values({
          caller,
          key,
          requestHash: hash,
          method: request.method,
          path: request.url.slice(0, 2048),
          state: 'in_flight',
          lockedAt: now,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.config.IDEMPOTENCY_TTL_HOURS * 3_600_000),
        })
        .orIgnore()
        .returning(['key'])
        .execute();
      if ((inserted.raw as unknown[]).length === 1) return { kind: 'proceed', lockedAt: now };

      const existing = await this.records.findOneBy({ caller, key });
      if (!existing) continue; // released between our insert and read: try again
      // The conditions below re-check the state rather than compare timestamps for equality: a
      // timestamp written by the database has microseconds that a JS Date read back has lost.
      if (existing.expiresAt <= now) {
        await this.records.delete({ caller, key, expiresAt: LessThanOrEqual(now) });
        continue;
      }
      if (existing.requestHash !== hash) {
        throw new ApiError(
          422,
          IdempotencyErrorCode.KEY_REUSED,
          `Idempotency-Key ${key} was already used with a different request (method, path or body). Use a new key for a new request.`,
        );
      }
      if (existing.state === 'completed') return { kind: 'replay', record: existing };
      if (now.getTime() - existing.lockedAt.getTime() > STALE_LOCK_MS) {
        const stillStale = LessThan(new Date(now.getTime() - STALE_LOCK_MS));
        const taken = await this.records.update(
          { caller, key, state: 'in_flight', lockedAt: stillStale },
          { lockedAt: now },
        );
        if (taken.affected === 1) return { kind: 'proceed', lockedAt: now };
        continue;
      }
      throw new ApiError(
        409,
        IdempotencyErrorCode.KEY_IN_USE,
        `A request with Idempotency-Key ${key} is still being processed. Retry shortly to get its result.`,
        {},
        { 'retry-after': '1' },
      );
    }
    throw new ApiError(
      409,
      IdempotencyErrorCode.KEY_IN_USE,
      `Idempotency-Key ${key} is contended; retry shortly.`,
      {},
      { 'retry-after': '1' },
    );
  }

  /**
   * Runs the handler and stores its response in ONE transaction: the handler's writes (through
   * TransactionHost) and the completed key commit together or not at all. So a response is never
   * lost after its effect committed, and a failed request leaves no effect and frees its key.
   */
  private async runOnce(
    caller: string,
    key: string,
    lockedAt: Date,
    reply: FastifyReply,
    next: CallHandler,
    omit?: readonly string[],
  ): Promise<unknown> {
    try {
      return await this.tx.run(async () => {
        const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.complete(caller, key, lockedAt, withoutFields(body, omit), reply);
        return body;
      });
    } catch (error) {
      await this.records.delete({ caller, key, state: 'in_flight', lockedAt });
      throw error;
    }
  }

  private async complete(
    caller: string,
    key: string,
    lockedAt: Date,
    body: unknown,
    reply: FastifyReply,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_RESPONSE_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    const result = await this.tx.manager.update(
      IdempotencyRecordEntity,
      { caller, key, state: 'in_flight', lockedAt },
      {
        state: 'completed',
        // The status the handler settled on (a route may answer 201 or 200 as the case may be).
        statusCode: reply.statusCode,
        responseBody: (body ?? null) as object,
        responseHeaders: headers,
      },
    );
    // Another request took the key over (it presumed this one dead): let this one roll back.
    if (result.affected !== 1) {
      throw new ApiError(
        409,
        IdempotencyErrorCode.KEY_IN_USE,
        `Idempotency-Key ${key} was taken over by a retry while this request ran; its result is the one kept.`,
        {},
        { 'retry-after': '1' },
      );
    }
  }

  /** Deletes records past their retention; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.records.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
