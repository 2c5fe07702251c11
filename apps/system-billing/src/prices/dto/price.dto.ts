import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO4217CurrencyCode, IsOptional, IsUUID, Matches } from 'class-validator';
import { BillingPriceResponse, CURRENCY_CODE } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { QueryBoolean, SyncPageQuery } from '../../common.dto';

export {
  BillingPriceResponse,
  CreateBillingPriceRequest,
  PriceQuoteRequest,
  PriceQuoteResponse,
} from '@revgate/canonical';

export class ListPricesQuery extends SyncPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'productId must be a UUID' })
  productId?: string;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(CURRENCY_CODE, { message: 'currency must be an ISO 4217 code in capitals' })
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code in capitals' })
  currency?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class BillingPricePage extends PageOf(BillingPriceResponse) {}
