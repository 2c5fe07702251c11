import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RequireScopes } from '@revgate/platform';
import { Caller, type Principal } from '@revgate/auth';
import { TaxQuoteRequest, TaxQuoteResponse } from './dto/quote.dto';
import { QuotesService } from './quotes.service';

@ApiTags('Quotes')
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  /**
   * Estimates the tax of a document (like an AvaTax SalesOrder): each line's tax is rounded half-up
   * to the currency once, and the total is their exact sum. Nothing is recorded, so a quote needs
   * only tax:read.
   */
  @Post()
  @HttpCode(200)
  @RequireScopes('tax:read')
  @ApiOkResponse({ type: TaxQuoteResponse, description: 'The tax of the document' })
  @ApiProblems(400, 403, 422)
  calculate(@Caller() caller: Principal, @Body() body: TaxQuoteRequest): Promise<TaxQuoteResponse> {
    return this.quotes.calculate(caller, body);
  }
}
