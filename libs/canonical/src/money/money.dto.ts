import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** A signed decimal string: up to 15 integer digits and 10 decimals, no exponent, no float. */
export const SIGNED_DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
/** A non-negative decimal string. */
export const UNSIGNED_DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,10})?$/;
/** ISO 4217 currency code, capitals only. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Money on the wire: a decimal string and an ISO 4217 currency, never a JSON number. */
export class MoneyDto {
  @ApiProperty({
    description: "Decimal string; exactly the currency's minor units once final",
    example: '1200.00',
  })
  @Matches(SIGNED_DECIMAL, { message: 'amount must be a decimal string such as "1200.00"' })
  amount!: string;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  @Matches(CURRENCY_CODE, { message: 'currency must be an ISO 4217 code in capitals, such as USD' })
  currency!: string;
}
