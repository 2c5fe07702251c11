import { Injectable } from '@nestjs/common';
import { roundMoney } from '@revgate/canonical';
import type { CommitResult, DocumentToCommit, TaxDocument, TaxOutcome, TaxPort } from '../tax.port';

export const TAX_NOT_CALCULATED_NOTE =
  'Tax not calculated: no tax system is configured for this billing system (TAX_API_URL).';

/**
 * The adapter when no tax system is configured: no tax is charged, and every document says so —
 * its lines are marked `not_calculated`, never silently "taxed at 0".
 */
@Injectable()
export class NoTaxAdapter implements TaxPort {
  readonly mode = 'not_calculated' as const;

  quote(document: TaxDocument): Promise<TaxOutcome> {
    return Promise.resolve({
      calculated: false,
      lines: document.lines.map((l) => ({
        number: l.number,
        tax: roundMoney(0, document.currency),
        rate: '0',
        taxability: 'non_taxable' as const,
        jurisdiction: {
          country: document.shipTo.country,
          ...(document.shipTo.region === undefined ? {} : { region: document.shipTo.region }),
          name: document.shipTo.country,
          taxName: 'Tax not calculated',
        },
      })),
      totalTax: roundMoney(0, document.currency),
      notes: [TAX_NOT_CALCULATED_NOTE],
    });
  }

  commit(document: TaxDocument): Promise<TaxOutcome> {
    return this.quote(document);
  }

  async commitMany(documents: readonly DocumentToCommit[]): Promise<CommitResult[]> {
    const results: CommitResult[] = [];
    for (const { document } of documents)
      results.push({ ok: true, outcome: await this.quote(document) });
    return results;
  }

  void(): Promise<void> {
    return Promise.resolve();
  }
}
