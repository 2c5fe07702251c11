import { canSeeEntity, type Principal } from '@revgate/auth';
import {
  CommitTaxTransactionRequest,
  taxDocumentProblems,
  TaxQuoteRequest,
  taxTransactionProblems,
} from '@revgate/canonical';
import { ApiError, validationProblem } from '@revgate/platform';
import { TaxErrorCode } from './tax-error-code';

/** A caller limited to some legal entities may only quote and commit for those. */
export function assertEntityAllowed(caller: Principal, legalEntity: string): void {
  if (!canSeeEntity(caller, legalEntity)) {
    throw new ApiError(
      403,
      TaxErrorCode.LEGAL_ENTITY_FORBIDDEN,
      `Your token does not cover legal entity ${legalEntity}.`,
    );
  }
}

/** The checks that span fields (amount decimals against the currency, unique line numbers). */
export function assertWellFormed(request: TaxQuoteRequest): void {
  const problems = taxDocumentProblems(request);
  if (problems.length) throw validationProblem(problems);
}

/** The checks of a document to commit: those of any document, and those of sales and returns. */
export function assertCommittable(request: CommitTaxTransactionRequest): void {
  const problems = [...taxDocumentProblems(request), ...taxTransactionProblems(request)];
  if (problems.length) throw validationProblem(problems);
}
