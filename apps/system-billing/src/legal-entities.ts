import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { BillingAddressDto, LEGAL_ENTITY_CODE } from '@revgate/canonical';
import type { PostalAddress } from './providers/billing-provider.port';

/**
 * The legal entities that issue invoices, and where each is established: the address is the
 * ship-from of every tax document (it decides, for instance, whether an EU sale is reverse-charged).
 * Set with BILLING_LEGAL_ENTITIES, a JSON array of {code, name, address}.
 */
export interface LegalEntity {
  code: string;
  name: string;
  address: PostalAddress;
}

/** The two demo entities of the embedded default (the CRM demo data uses them). */
export const DEFAULT_LEGAL_ENTITIES: readonly LegalEntity[] = [
  {
    code: 'US01',
    name: 'Revgate Inc.',
    address: {
      line1: '1 Market Street',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
  },
  {
    code: 'DE01',
    name: 'Revgate GmbH',
    address: { line1: 'Friedrichstraße 100', city: 'Berlin', postalCode: '10117', country: 'DE' },
  },
];

function messages(errors: ValidationError[], parent: string): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${parent}.${e.property}: ${m}`),
    ...messages(e.children ?? [], `${parent}.${e.property}`),
  ]);
}

/** Parses BILLING_LEGAL_ENTITIES; returns the entities, or the list of what is wrong. */
export function parseLegalEntities(json: string | undefined): {
  entities: LegalEntity[];
  problems: string[];
} {
  if (json === undefined) return { entities: [...DEFAULT_LEGAL_ENTITIES], problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { entities: [], problems: ['is not valid JSON'] };
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    return { entities: [], problems: ['must be a non-empty JSON array of {code, name, address}'] };
  const problems: string[] = [];
  const entities: LegalEntity[] = [];
  parsed.forEach((raw: unknown, i) => {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const { code, name, address } = entry;
    if (typeof code !== 'string' || !LEGAL_ENTITY_CODE.test(code))
      problems.push(`[${i}].code must be 2–20 capital letters, digits, _ or - (e.g. US01)`);
    else if (entities.some((e) => e.code === code))
      problems.push(`[${i}].code ${code} is listed twice`);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      problems.push(`[${i}].name must be a non-empty string of at most 255 characters`);
    if (typeof address !== 'object' || address === null || Array.isArray(address)) {
      problems.push(`[${i}].address must be an address object`);
      return;
    }
    const dto = plainToInstance(BillingAddressDto, address);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    problems.push(...messages(errors, `[${i}].address`));
    if (typeof code === 'string' && typeof name === 'string')
      entities.push({ code, name, address: address as PostalAddress });
  });
  return problems.length ? { entities: [], problems } : { entities, problems: [] };
}

/** Looks a legal entity up by code. */
export class LegalEntityDirectory {
  constructor(readonly entities: readonly LegalEntity[]) {}

  find(code: string): LegalEntity | undefined {
    return this.entities.find((e) => e.code === code);
  }
}
