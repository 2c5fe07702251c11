import { canSeeEntity, type Principal } from '@revgate/auth';
import { validationProblem } from '@revgate/platform';
import { taxRegistrationProblem } from '@revgate/canonical';
import { ErpError, ErpErrorCode } from './erp-error-code';

/** A caller limited to some legal entities may only post for those (the entity is in the body). */
export function assertEntityAllowed(caller: Principal, legalEntity: string): void {
  if (!canSeeEntity(caller, legalEntity))
    throw new ErpError(
      ErpErrorCode.LEGAL_ENTITY_FORBIDDEN,
      `Your token does not cover legal entity ${legalEntity}.`,
    );
}

/** A legal entity of the path the caller may not see does not exist for it. */
export function entityNotFound(legalEntity: string): ErpError {
  return new ErpError(
    ErpErrorCode.LEGAL_ENTITY_NOT_FOUND,
    `Legal entity ${legalEntity} does not exist.`,
  );
}

export function assertEntityVisible(caller: Principal, legalEntity: string): void {
  if (!canSeeEntity(caller, legalEntity)) throw entityNotFound(legalEntity);
}

/** Throws VALIDATION_FAILED when cross-field checks found problems. */
export function assertNoProblems(problems: { pointer: string; detail: string }[]): void {
  if (problems.length) throw validationProblem(problems);
}

/** A tax registration that cannot be what it says is refused before anything reaches the ERP. */
export function assertTaxRegistration(
  registration: { scheme: string; number: string; country: string } | undefined,
  pointer: string,
): void {
  const problem = registration && taxRegistrationProblem(registration);
  if (problem)
    throw new ErpError(ErpErrorCode.TAX_REGISTRATION_INVALID, `${problem}.`, {
      pointers: [pointer],
    });
}

/** 404 with the resource's code when the provider found nothing. */
export function found<T>(record: T | undefined, code: ErpErrorCode, detail: string): T {
  if (record === undefined) throw new ErpError(code, detail);
  return record;
}
