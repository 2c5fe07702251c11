import {
  IsISO4217CurrencyCode,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { isCurrency, minorUnits, MoneyDecimal } from '../money/money';
import { CURRENCY_CODE, SIGNED_DECIMAL, UNSIGNED_DECIMAL } from '../money/money.dto';
import { isAccountingPeriod, isCalendarDate, isInstant } from './calendar';

/**
 * Field rules the usage, ERP and revenue DTOs share. Internal to the canonical library: the public
 * contract is the DTOs and the calendar helpers.
 */

/** An id Revgate or a caller gave an object: a UUID, an external id, a code. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const REFERENCE_RULE = '1–128 letters, digits, . _ : or -, starting with a letter or digit';

export const CURRENCY_RULE = 'an ISO 4217 code in capitals, such as USD or EUR';

/**
 * An optional field that, when sent, must be a value: unlike @IsOptional(), null is validated (and so
 * refused) instead of being let through.
 */
export const Omittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A rule of one field, given as a test and a message (which may read the whole object). */
export function Rule(
  name: string,
  test: (value: unknown, object: object) => boolean,
  message: string | ((value: unknown, object: object) => string),
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => test(value, args.object),
        defaultMessage: (args: ValidationArguments) =>
          typeof message === 'string' ? message : message(args.value, args.object),
      },
    });
  };
}

export const IsCalendarDate = (property: string): PropertyDecorator =>
  Rule(
    'isCalendarDate',
    isCalendarDate,
    `${property} must be a calendar date written YYYY-MM-DD, e.g. 2026-01-31`,
  );

export const IsAccountingPeriod = (property: string): PropertyDecorator =>
  Rule(
    'isAccountingPeriod',
    isAccountingPeriod,
    `${property} must be an accounting period written YYYY-MM, e.g. 2026-01`,
  );

export const IsInstant = (property: string): PropertyDecorator =>
  Rule(
    'isInstant',
    isInstant,
    `${property} must be an ISO 8601 instant with a time zone offset, e.g. 2026-01-31T23:59:59Z`,
  );

/** ISO 4217 in capitals (validator's own check ignores case). */
export function IsCurrencyCode(property: string): PropertyDecorator {
  const message = `${property} must be ${CURRENCY_RULE}`;
  return (target: object, propertyName: string | symbol) => {
    Matches(CURRENCY_CODE, { message })(target, propertyName);
    IsISO4217CurrencyCode({ message })(target, propertyName);
  };
}

/** The currency a sibling field names, when it is a real one. */
export function currencyIn(object: object, field = 'currency'): string | undefined {
  const value = (object as Record<string, unknown>)[field];
  return typeof value === 'string' && isCurrency(value) ? value : undefined;
}

/**
 * True when `amount` has no more decimals than `currency` has minor units. Decimals are counted on
 * the value, as taxDocumentProblems does: trailing zeros are not decimals ("1250.00" JPY is 1250).
 */
export function fitsCurrency(amount: string, currency: string): boolean {
  return new MoneyDecimal(amount).decimalPlaces() <= minorUnits(currency);
}

/**
 * A signed decimal amount with no more decimals than the currency of the same object (`currency`);
 * the format itself is checked by the field's own rule.
 */
export const FitsCurrency = (property: string, currencyField = 'currency'): PropertyDecorator =>
  Rule(
    'fitsCurrency',
    (value, object) => {
      const currency = currencyIn(object, currencyField);
      return (
        typeof value !== 'string' ||
        !SIGNED_DECIMAL.test(value) ||
        currency === undefined ||
        fitsCurrency(value, currency)
      );
    },
    (_value, object) => {
      const currency = currencyIn(object, currencyField) ?? '';
      return `${property} must have no more decimals than ${currency} allows (${minorUnits(currency)})`;
    },
  );

/**
 * A money object `{ amount, currency }` that is final: the currency is an ISO 4217 one and the amount
 * has no more decimals than it allows (and, when `nonNegative`, is not negative). The nested MoneyDto
 * rules check the format of each field.
 */
export function RoundedMoney(
  property: string,
  opts: { nonNegative?: boolean } = {},
): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const { amount, currency } = value as { amount?: unknown; currency?: unknown };
    if (typeof amount !== 'string' || typeof currency !== 'string') return undefined;
    if (!CURRENCY_CODE.test(currency) || !SIGNED_DECIMAL.test(amount)) return undefined;
    if (!isCurrency(currency))
      return `${property}.currency ${currency} is not an ISO 4217 currency`;
    if (opts.nonNegative && !UNSIGNED_DECIMAL.test(amount)) {
      return `${property}.amount must not be negative`;
    }
    if (!fitsCurrency(amount, currency)) {
      return `${property}.amount must have no more decimals than ${currency} allows (${minorUnits(currency)})`;
    }
    return undefined;
  };
  return Rule(
    'roundedMoney',
    (value) => problem(value) === undefined,
    (value) => problem(value) ?? 'invalid',
  );
}

/** A half-open range's `end`: after the sibling `start` (at least one day). */
export const EndsAfterStart = (): PropertyDecorator =>
  Rule(
    'endsAfterStart',
    (value, object) => {
      const start = (object as { start?: unknown }).start;
      return !isCalendarDate(value) || !isCalendarDate(start) || value > start;
    },
    'end must come after start: the range is start (inclusive) to end (exclusive)',
  );
