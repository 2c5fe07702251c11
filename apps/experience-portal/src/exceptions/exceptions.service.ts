import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canSeeEntity, type Principal } from '@revgate/auth';
import { visibleTo } from '../access';
import type { q2c } from '@revgate/clients';
import { ApiError, keysetWindow, type Page } from '@revgate/platform';
import { PortalAudit } from '../audit/portal-audit';
import { ApiRefusal, PortalApis, read, readOptional } from '../portal-apis';
import { PortalErrorCode } from '../portal-error-code';
import type {
  ExceptionDetailResponse,
  ListExceptionsQuery,
  PortalActionResponse,
  PortalExceptionResponse,
} from './exception.dto';

type Q2cException = q2c.SchemaExceptionResponse;

const notFound = (id: string): ApiError =>
  new ApiError(404, PortalErrorCode.EXCEPTION_NOT_FOUND, `There is no exception ${id}.`);

/** A quote-to-cash exception as the workbench shows it: its flow and its age. */
export function toPortalException(e: Q2cException, now = Date.now()): PortalExceptionResponse {
  return {
    ...e,
    flow: 'quote-to-cash',
    ageMinutes: Math.max(0, Math.floor((now - Date.parse(e.raisedAt)) / 60_000)),
  };
}

/**
 * The exception workbench over quote-to-cash's exceptions: lists and details read from the process
 * API, actions taken there as the portal's client and recorded in the portal's audit log with the
 * person who acted.
 */
@Injectable()
export class ExceptionsService {
  constructor(
    private readonly apis: PortalApis,
    private readonly audit: PortalAudit,
  ) {}

  /**
   * One page of quote-to-cash's list. For a caller limited to some legal entities the page holds
   * only theirs, so it can be shorter than `limit` while `nextCursor` still leads on.
   */
  async list(
    caller: Principal,
    query: ListExceptionsQuery,
  ): Promise<Page<PortalExceptionResponse>> {
    // The cursor is quote-to-cash's keyset cursor, passed on: one it cannot read is the caller's
    // mistake (400 here), not a refusal of the portal's request (502 PORTAL_UPSTREAM_REFUSED).
    keysetWindow(query);
    if (query.legalEntity && !canSeeEntity(caller, query.legalEntity))
      return { data: [], nextCursor: null };
    const page = await read(
      'q2c',
      this.apis.q2c.GET('/q2c/v1/exceptions', {
        params: {
          query: {
            limit: query.limit,
            ...(query.cursor ? { cursor: query.cursor } : {}),
            ...(query.status ? { status: query.status } : {}),
            ...(query.workType ? { workType: query.workType } : {}),
            ...(query.code ? { code: query.code } : {}),
            ...(query.legalEntity ? { legalEntity: query.legalEntity } : {}),
            ...(query.orderId ? { orderId: query.orderId } : {}),
            ...(query.olderThanMinutes !== undefined
              ? { olderThanMinutes: query.olderThanMinutes }
              : {}),
          },
        },
      }),
    );
    const now = Date.now();
    return {
      data: page.data
        .filter((e) => visibleTo(caller, e.legalEntity))
        .map((e) => toPortalException(e, now)),
      nextCursor: page.nextCursor ?? null,
    };
  }

  private async visible(caller: Principal, id: string): Promise<Q2cException> {
    const found = await readOptional(
      'q2c',
      this.apis.q2c.GET('/q2c/v1/exceptions/{id}', { params: { path: { id } } }),
    );
    if (!found || !visibleTo(caller, found.legalEntity)) throw notFound(id);
    return found;
  }

  async get(caller: Principal, id: string): Promise<ExceptionDetailResponse> {
    const exception = await this.visible(caller, id);
    const [order, audit] = await Promise.all([
      read(
        'q2c',
        this.apis.q2c.GET('/q2c/v1/orders/{id}', { params: { path: { id: exception.orderId } } }),
      ),
      this.audit.entriesFor('exception', id),
    ]);
    return {
      exception: toPortalException(exception),
      order: {
        id: order.id,
        status: order.status,
        ...(order.currentStep ? { currentStep: order.currentStep } : {}),
        attempts: order.attempts,
        refs: { ...order.refs },
      },
      steps: order.steps,
      actions: order.actions,
      audit,
    };
  }

  /**
   * Retry (the failed step runs again) or resolve (closed without going on), taken in
   * quote-to-cash with the reason and who acted, then written to the portal's audit log. The
   * process API's refusal (409 Q2C_NOT_WAITING: not open any more) is passed on, and nothing is
   * written.
   */
  async act(
    caller: Principal,
    id: string,
    action: 'retry' | 'resolve',
    reason: string,
  ): Promise<PortalActionResponse> {
    const before = await this.visible(caller, id);
    const path =
      action === 'retry' ? '/q2c/v1/exceptions/{id}/retry' : '/q2c/v1/exceptions/{id}/resolve';
    let after: Q2cException;
    try {
      after = await read(
        'q2c',
        this.apis.q2c.POST(path, {
          params: {
            path: { id },
            // Retried calls of this one action are taken once; a second action is a new one (and
            // meets 409 Q2C_NOT_WAITING when the first already moved the exception on).
            header: { 'Idempotency-Key': randomUUID() },
          },
          // 900 + the subject cut at 75 + 21 stays within quote-to-cash's 1,000 characters.
          body: { reason: `${reason} (by ${caller.subject.slice(0, 75)}, in the portal)` },
        }),
      );
    } catch (e) {
      if (e instanceof ApiRefusal && [400, 404, 409, 422].includes(e.upstreamStatus)) {
        if (e.upstreamStatus === 404) throw notFound(id);
        throw new ApiError(e.upstreamStatus, e.upstreamCode, e.upstreamDetail);
      }
      throw e;
    }
    const audit = await this.audit.record({
      actor: caller.subject,
      action,
      targetType: 'exception',
      targetId: id,
      reason,
      detail: {
        flow: 'quote-to-cash',
        orderId: before.orderId,
        code: before.code,
        ...(before.legalEntity ? { legalEntity: before.legalEntity } : {}),
        statusBefore: before.status,
        statusAfter: after.status,
      },
    });
    return { exception: toPortalException(after), audit };
  }
}
