import { ApiProperty } from '@nestjs/swagger';
import { ArCreditMemoDto } from '@revgate/canonical';
import { PageOf } from '@revgate/platform';
import { ArDocumentResponse, ListArDocumentsQuery } from '../../invoices/dto/invoice.dto';

/** An AR credit memo to post against a posted invoice, in the canonical model. */
export class PostCreditMemoRequest extends ArCreditMemoDto {}

export class CreditMemoResponse extends ArDocumentResponse {
  @ApiProperty({ description: 'The invoice the memo credits (its whole total is applied to it)' })
  invoiceExternalId!: string;
}

export class ListCreditMemosQuery extends ListArDocumentsQuery {}

export class CreditMemoPage extends PageOf(CreditMemoResponse) {}
