import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { TAX_PROVIDER, type TaxProvider } from '../providers/tax-provider.port';
import { assertEntityAllowed, assertWellFormed } from '../tax.guards';
import { toEstimateModel, toQuoteResponse } from '../tax.mappers';
import { TaxQuoteRequest, TaxQuoteResponse } from './dto/quote.dto';

@Injectable()
export class QuotesService {
  constructor(@Inject(TAX_PROVIDER) private readonly tax: TaxProvider) {}

  /** Estimates the tax of a document. Nothing is recorded, as with an AvaTax SalesOrder. */
  async calculate(caller: Principal, request: TaxQuoteRequest): Promise<TaxQuoteResponse> {
    assertEntityAllowed(caller, request.legalEntity);
    assertWellFormed(request);
    return toQuoteResponse(await this.tax.estimate(toEstimateModel(request)));
  }
}
