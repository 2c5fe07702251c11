import { isEuCountry, isEuVatIdFormat } from '../tax/jurisdictions';

/** A US Employer Identification Number: 12-3456789. */
const EIN = /^\d{2}-?\d{7}$/;

/**
 * Why a tax registration cannot be what it says, or undefined when its format holds: a VAT number
 * of an EU member state must have that state's format, prefix included (DE123456789, EL… for
 * Greece), and an EIN must be nine digits (12-3456789). Other schemes and countries are taken as
 * given: only the authority's register can tell more, and that is a connector's job.
 */
export function taxRegistrationProblem(registration: {
  scheme: string;
  number: string;
  country: string;
}): string | undefined {
  const { scheme, number, country } = registration;
  if (scheme === 'VAT' && isEuCountry(country) && !isEuVatIdFormat(country, number))
    return `${number} is not a VAT number of ${country}: it must have that member state's format, prefix included (e.g. DE123456789)`;
  if (scheme === 'EIN' && (country !== 'US' || !EIN.test(number)))
    return `${number} is not an EIN: an EIN is issued in the US and has nine digits, e.g. 12-3456789`;
  return undefined;
}
