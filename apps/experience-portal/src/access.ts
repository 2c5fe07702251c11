import { canSeeEntity, type Principal } from '@revgate/auth';

/**
 * Whether the caller may see work of this legal entity. Work without one (refused before its
 * entity was known) is for unrestricted callers only, as quote-to-cash rules.
 */
export const visibleTo = (caller: Principal, legalEntity: string | undefined): boolean =>
  legalEntity === undefined
    ? caller.legalEntities === undefined
    : canSeeEntity(caller, legalEntity);
