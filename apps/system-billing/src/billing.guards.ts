import { canSeeEntity, type Principal } from '@revgate/auth';
import { ApiError, validationProblem } from '@revgate/platform';
import { BillingErrorCode } from './billing-error-code';
import { PricingError } from './pricing';
import { ProrationError } from './proration';

/** A caller limited to some legal entities may only act for those. */
export function assertEntityAllowed(caller: Principal, legalEntity: string): void {
  if (!canSeeEntity(caller, legalEntity)) {
    throw new ApiError(
      403,
      BillingErrorCode.LEGAL_ENTITY_FORBIDDEN,
      `Your token does not cover legal entity ${legalEntity}.`,
    );
  }
}

/** The catalog is shared by every legal entity: only a caller without an entity limit changes it. */
export function assertCatalogWriter(caller: Principal): void {
  if (caller.legalEntities !== undefined) {
    throw new ApiError(
      403,
      BillingErrorCode.CATALOG_FORBIDDEN,
      'The catalog is shared by every legal entity; only a token without a legal_entities limit may change it.',
    );
  }
}

/**
 * Refuses a change to fields that are fixed once set: 422 BILLING_FIELD_IMMUTABLE with a pointer to
 * each, and what to do instead.
 */
export function assertNoImmutableChange(
  problems: { pointer: string; detail: string }[],
  instead: string,
): void {
  if (problems.length)
    throw new ApiError(
      422,
      BillingErrorCode.FIELD_IMMUTABLE,
      `${problems.map((p) => p.detail).join('; ')}: ${instead}.`,
      { errors: problems },
    );
}

/** Throws VALIDATION_FAILED when cross-field checks found problems. */
export function assertNoProblems(problems: { pointer: string; detail: string }[]): void {
  if (problems.length) throw validationProblem(problems);
}

/** `tiers[2].upTo` → `/tiers/2/upTo`, under an optional prefix such as `/items/0`. */
export function pointerOf(path: string, prefix = ''): string {
  return `${prefix}/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

/**
 * A refusal of the pricing or proration engine as the API's problem: 422 with the engine's stable
 * code and a pointer to what it refused. Anything else is rethrown.
 */
export function engineProblem(e: unknown, prefix = ''): never {
  if (e instanceof PricingError || e instanceof ProrationError) {
    throw new ApiError(422, e.code, `${e.path}: ${e.detail}`, {
      errors: [{ pointer: pointerOf(e.path, prefix), detail: `${e.path} ${e.detail}` }],
    });
  }
  throw e;
}

/** Runs pure engine work, turning the engines' refusals into problems. */
export function withEngine<T>(work: () => T, prefix = ''): T {
  try {
    return work();
  } catch (e) {
    return engineProblem(e, prefix);
  }
}
