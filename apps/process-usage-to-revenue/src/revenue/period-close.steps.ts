import { Injectable } from '@nestjs/common';
import { addDays, EventTypes, MoneyDecimal, periodEnd } from '@revgate/canonical';
import { idempotentHint } from '@revgate/clients';
import { eventIdFor, OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { SystemApis } from '../upstreams/upstream-apis';
import { problemOf, upstreamProblem } from '../upstreams/upstream-problem';
import { RevenueRecorder } from './revenue-recorder';
import type { JournalStatus } from './revenue.entities';
import { revenueJournal, type JournalLine, type JournalSource } from './revenue-schedule.builder';

/** The journal's key in the ERP and in the outbox: per period, entity, currency and sequence. */
export const journalExternalId = (
  period: string,
  entity: string,
  currency: string,
  seq: number,
): string => `revenue:${period}:${entity}:${currency}${seq === 1 ? '' : `:${seq}`}`;

interface JournalRow {
  legal_entity: string;
  currency: string;
  seq: number;
  external_id: string;
  status: JournalStatus;
  amount: string;
  lines: JournalLine[];
}

const sourceKey = (s: JournalSource): string =>
  [s.legalEntity, s.currency, s.deferredAccount, s.revenueAccount, s.productFamily].join('\u0000');

/**
 * The steps of a period's revenue close. Each reads what earlier attempts recorded and does only
 * what is left; the ERP dedupes a journal by its external id, so a step repeated after a crash
 * posts nothing twice.
 */
@Injectable()
export class PeriodCloseSteps {
  constructor(
    private readonly tx: TransactionHost,
    private readonly apis: SystemApis,
    private readonly outbox: OutboxWriter,
    private readonly recorder: RevenueRecorder,
  ) {}

  /**
   * Schedules the period's AR invoices and credit memos that reached the ERP another way than a
   * billing run (quote-to-cash posts a deal's first invoice and its amendments' documents), read
   * back from the ERP; documents scheduled before are left as they are. Answers how many it added.
   */
  async syncErpPostings(period: string): Promise<number> {
    let added = 0;
    for (const type of ['invoice', 'credit_memo'] as const) {
      let cursor: string | undefined;
      do {
        const query = { period, limit: 200, ...(cursor ? { cursor } : {}) };
        const page =
          type === 'invoice'
            ? await this.apis.erp.GET('/erp/v1/invoices', { params: { query } })
            : await this.apis.erp.GET('/erp/v1/credit-memos', { params: { query } });
        if (!page.data) throw upstreamProblem('erp', page.response.status, page.error);
        const documents = page.data.data;
        const known = new Set(
          (
            await this.tx.manager.query<{ key: string }[]>(
              `select distinct legal_entity || ' ' || invoice_id as key from u2r.revenue_schedules
                where document_type = $1 and invoice_id = any($2::text[])`,
              [type, documents.map((d) => d.externalId)],
            )
          ).map((k) => k.key),
        );
        const fresh = documents.filter((d) => !known.has(`${d.legalEntity} ${d.externalId}`));
        const families = await this.recorder.familiesBySku(
          fresh.flatMap((d) => d.lines.map((l) => l.itemCode)),
        );
        for (const document of fresh) {
          const planned = await this.recorder.planFromErp(document, type, families);
          await this.tx.run(() => this.recorder.record(planned));
          if (planned.length > 0) added++;
        }
        cursor = page.data.nextCursor ?? undefined;
      } while (cursor);
    }
    return added;
  }

  /**
   * What the period recognizes of deferred revenue, less what journals posted before released,
   * per entity and currency, as journals to post — Dr deferred revenue, Cr revenue, per account
   * pair and product family. Journals an earlier attempt did not post (refused) are replaced.
   * Answers the journals to post as [entity, currency, seq].
   */
  async plan(period: string): Promise<[string, string, number][]> {
    return this.tx.run(async () => {
      const m = this.tx.manager;
      const recognized = await m.query<JournalSource[]>(
        `select s.legal_entity as "legalEntity", s.currency, s.deferred_account as "deferredAccount",
                s.revenue_account as "revenueAccount", s.product_family as "productFamily",
                sum(e.amount)::text as amount
           from u2r.revenue_schedules s
           join u2r.revenue_schedule_entries e on e.schedule_id = s.id
          where s.deferred and e.period = $1
          group by 1, 2, 3, 4, 5`,
        [period],
      );
      await m.query(`delete from u2r.revenue_journals where period = $1 and status <> 'posted'`, [
        period,
      ]);
      const posted = await m.query<{ sources: JournalSource[]; seq: number; key: string }[]>(
        `select sources, seq, legal_entity || ' ' || currency as key
           from u2r.revenue_journals where period = $1`,
        [period],
      );
      const delta = new Map<string, JournalSource>();
      for (const s of recognized) delta.set(sourceKey(s), { ...s });
      for (const s of posted.flatMap((p) => p.sources)) {
        const key = sourceKey(s);
        const left = delta.get(key) ?? { ...s, amount: '0' };
        delta.set(key, {
          ...left,
          amount: new MoneyDecimal(left.amount).minus(s.amount).toFixed(),
        });
      }
      const groups = new Map<string, JournalSource[]>();
      for (const s of delta.values()) {
        if (new MoneyDecimal(s.amount).isZero()) continue;
        const key = `${s.legalEntity} ${s.currency}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
      const journals = [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, group]) => {
          const { legalEntity, currency } = group[0];
          const seq = 1 + Math.max(0, ...posted.filter((p) => p.key === key).map((p) => p.seq));
          return {
            period,
            legal_entity: legalEntity,
            currency,
            seq,
            external_id: journalExternalId(period, legalEntity, currency, seq),
            amount: group.reduce((sum, s) => sum.plus(s.amount), new MoneyDecimal(0)).toFixed(),
            sources: group,
            lines: revenueJournal(group),
          };
        });
      if (journals.length > 0)
        await m.query(
          `insert into u2r.revenue_journals
                  (period, legal_entity, currency, seq, external_id, status, amount, sources, lines)
           select r.period, r.legal_entity, r.currency, r.seq, r.external_id, 'pending', r.amount,
                  r.sources, r.lines
             from jsonb_to_recordset($1::jsonb) as r(period text, legal_entity text, currency text,
                  seq integer, external_id text, amount numeric, sources jsonb, lines jsonb)`,
          [JSON.stringify(journals)],
        );
      return journals.map((j): [string, string, number] => [j.legal_entity, j.currency, j.seq]);
    });
  }

  /**
   * Posts one journal to the ERP, dated the period's last day; a refusal (a closed ERP period, an
   * unknown account) is recorded on the journal, a transient failure fails the step (retried).
   * Posted, it emits RevenueJournalApproved in the same transaction.
   */
  async post(period: string, legalEntity: string, currency: string, seq: number): Promise<void> {
    const where = 'period = $1 and legal_entity = $2 and currency = $3 and seq = $4';
    const key = [period, legalEntity, currency, seq];
    const journal = (
      await this.tx.manager.query<JournalRow[]>(
        `select legal_entity, currency, seq, external_id, status, amount::text as amount, lines
           from u2r.revenue_journals where ${where}`,
        key,
      )
    ).at(0);
    if (!journal || journal.status !== 'pending') return;
    const body = {
      legalEntity,
      externalId: journal.external_id,
      date: addDays(periodEnd(period), -1),
      period,
      currency,
      memo: `Revenue recognized in ${period}: deferred revenue released`,
      lines: journal.lines.map((l) => ({
        accountCode: l.accountCode,
        ...(l.debit ? { debit: l.debit } : {}),
        ...(l.credit ? { credit: l.credit } : {}),
        memo: `Revenue ${period}, ${l.productFamily}`,
        dimensions: { productFamily: l.productFamily },
      })),
    };
    const { data, error, response } = await this.apis.erp.POST('/erp/v1/journal-entries', {
      body,
      headers: idempotentHint,
    });
    if (!data) {
      if (
        response.status >= 500 ||
        response.status === 429 ||
        (response.status === 409 &&
          (error as { code?: string } | undefined)?.code === 'CONCURRENT_UPDATE')
      )
        throw upstreamProblem('erp', response.status, error);
      await this.tx.manager.query(
        `update u2r.revenue_journals set status = 'refused', problem = $5 where ${where}`,
        [...key, JSON.stringify(problemOf(error, response.status))],
      );
      return;
    }
    await this.tx.run(async () => {
      await this.tx.manager.query(
        `update u2r.revenue_journals set status = 'posted', erp_number = $5, posted_at = now(), problem = null
          where ${where}`,
        [...key, data.number],
      );
      await this.outbox.appendMany([
        {
          id: eventIdFor(`u2r:revenue-journal:${journal.external_id}`),
          type: EventTypes.RevenueJournalApproved,
          subject: `${legalEntity}/${journal.external_id}`,
          data: { ...body, number: data.number, totalDebit: data.totalDebit },
        },
      ]);
    });
  }

  /** Completed when every journal is posted (or had nothing to post); failed otherwise, with why. */
  async complete(period: string): Promise<void> {
    const refused = await this.tx.manager.query<{ external_id: string; problem: unknown }[]>(
      `select external_id, problem from u2r.revenue_journals
        where period = $1 and status <> 'posted' order by external_id`,
      [period],
    );
    const error =
      refused.length === 0
        ? null
        : `the ERP refused ${refused.map((r) => `${r.external_id} (${(r.problem as { code?: string } | null)?.code ?? 'not posted'})`).join(', ')}: fix the cause and close the period again`;
    await this.tx.manager.query(
      `update u2r.revenue_closes set status = $2, error = $3, completed_at = now() where period = $1`,
      [period, error ? 'failed' : 'completed', error],
    );
  }

  async fail(period: string, error: string): Promise<void> {
    await this.tx.manager.query(
      `update u2r.revenue_closes set status = 'failed', error = $2, completed_at = now() where period = $1`,
      [period, error.slice(0, 1000)],
    );
  }
}
