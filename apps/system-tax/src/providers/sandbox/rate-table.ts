import { MoneyDecimal, US_STATES } from '@revgate/canonical';
import type { Jurisdiction } from '../tax-provider.port';

/**
 * The sandbox's rate table: data kept in the repo (rates.json), validated when the app starts so a
 * bad edit stops the app with a message instead of computing wrong tax.
 *
 * A row gives the rate of one product tax code in one jurisdiction — a country (`DE`) or a
 * subdivision (`US-TX`) — from a date to a date (both inclusive; `to` omitted while current). A
 * subdivision without its own row for a code takes its country's row.
 */
export interface RateRow {
  jurisdiction: string;
  taxCode: string;
  /** decimal fraction, 0 ≤ rate < 1, e.g. "0.0625" */
  rate: string;
  from: string;
  to?: string;
  note?: string;
}

export interface JurisdictionEntry {
  name: string;
  taxName: string;
}

export type RateLookup =
  | { kind: 'found'; rate: string; jurisdiction: Jurisdiction }
  | { kind: 'unknown_tax_code' }
  | { kind: 'unsupported_jurisdiction' }
  | {
      kind: 'not_effective';
      jurisdiction: Jurisdiction;
      /** the periods that do have a rate */
      periods: { from: string; to?: string }[];
    };

export class RateTableError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The tax rate table is invalid:\n${problems
        .slice(0, 20)
        .map((p) => `  - ${p}`)
        .join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'RateTableError';
  }
}

const TAX_CODE = /^[A-Z0-9]{2,25}$/;
const JURISDICTION = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/;
/** 0 ≤ rate < 1, at most 6 decimals */
const RATE = /^0(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ROW_KEYS = new Set(['jurisdiction', 'taxCode', 'rate', 'from', 'to', 'note']);

function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const nonEmpty = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

export class RateTable {
  private readonly byKey = new Map<string, RateRow[]>();

  private constructor(
    readonly taxCodes: Readonly<Record<string, string>>,
    readonly jurisdictions: ReadonlyMap<string, JurisdictionEntry>,
    readonly rows: readonly RateRow[],
  ) {
    for (const row of rows) {
      const key = `${row.jurisdiction}|${row.taxCode}`;
      const list = this.byKey.get(key) ?? [];
      list.push(row);
      this.byKey.set(key, list);
    }
    for (const list of this.byKey.values()) list.sort((a, b) => a.from.localeCompare(b.from));
  }

  /** Reads and validates the table; a RateTableError lists every problem found. */
  static parse(raw: unknown): RateTable {
    const problems: string[] = [];
    if (!isRecord(raw)) throw new RateTableError(['the table must be a JSON object']);

    const taxCodes: Record<string, string> = {};
    if (!isRecord(raw.taxCodes) || Object.keys(raw.taxCodes).length === 0) {
      problems.push('taxCodes must be an object of tax code → description');
    } else {
      for (const [code, description] of Object.entries(raw.taxCodes)) {
        if (!TAX_CODE.test(code)) problems.push(`taxCodes: ${code} is not a tax code`);
        else if (!nonEmpty(description)) problems.push(`taxCodes.${code} needs a description`);
        else taxCodes[code] = description;
      }
    }

    const jurisdictions = new Map<string, JurisdictionEntry>();
    if (!isRecord(raw.jurisdictions) || Object.keys(raw.jurisdictions).length === 0) {
      problems.push('jurisdictions must be an object of jurisdiction → { name, taxName }');
    } else {
      for (const [id, entry] of Object.entries(raw.jurisdictions)) {
        const m = JURISDICTION.exec(id);
        if (!m) {
          problems.push(`jurisdictions: ${id} is not a country (DE) or subdivision (US-TX) code`);
          continue;
        }
        const region = m[2] as string | undefined;
        if (m[1] === 'US' && region !== undefined && !Object.hasOwn(US_STATES, region))
          problems.push(`jurisdictions: ${id} is not a US state or DC`);
        if (!isRecord(entry) || !nonEmpty(entry.name) || !nonEmpty(entry.taxName))
          problems.push(`jurisdictions.${id} needs a name and a taxName`);
        else jurisdictions.set(id, { name: entry.name, taxName: entry.taxName });
      }
    }

    const rows: RateRow[] = [];
    if (!Array.isArray(raw.rates) || raw.rates.length === 0) {
      problems.push('rates must be a non-empty array');
    } else {
      (raw.rates as unknown[]).forEach((row, i) => {
        const at = `rates[${i}]`;
        if (!isRecord(row)) {
          problems.push(`${at} is not an object`);
          return;
        }
        const before = problems.length;
        for (const key of Object.keys(row))
          if (!ROW_KEYS.has(key)) problems.push(`${at} has an unknown field ${key}`);
        const { jurisdiction, taxCode, rate, from, to, note } = row;
        if (typeof jurisdiction !== 'string' || !jurisdictions.has(jurisdiction))
          problems.push(`${at}.jurisdiction ${String(jurisdiction)} is not in jurisdictions`);
        if (typeof taxCode !== 'string' || !Object.hasOwn(taxCodes, taxCode))
          problems.push(`${at}.taxCode ${String(taxCode)} is not in taxCodes`);
        if (typeof rate !== 'string' || !RATE.test(rate))
          problems.push(
            `${at}.rate must be a decimal string from 0 to below 1 with up to 6 decimals (got ${JSON.stringify(rate)})`,
          );
        if (!isDate(from)) problems.push(`${at}.from must be a date as YYYY-MM-DD`);
        if (to !== undefined && !isDate(to))
          problems.push(`${at}.to must be a date as YYYY-MM-DD when present`);
        if (isDate(from) && isDate(to) && to < from) problems.push(`${at} ends before it starts`);
        if (note !== undefined && !nonEmpty(note)) problems.push(`${at}.note must be text`);
        if (problems.length === before)
          rows.push({
            jurisdiction: jurisdiction as string,
            taxCode: taxCode as string,
            rate: new MoneyDecimal(rate as string).toFixed(),
            from: from as string,
            ...(to === undefined ? {} : { to: to as string }),
            ...(note === undefined ? {} : { note: note as string }),
          });
      });
    }
    if (problems.length) throw new RateTableError(problems);

    const table = new RateTable(taxCodes, jurisdictions, rows);
    problems.push(...table.overlaps(), ...table.gaps());
    if (problems.length) throw new RateTableError(problems);
    return table;
  }

  /** Two rows of one jurisdiction and code may not both be in effect on a day. */
  private overlaps(): string[] {
    const problems: string[] = [];
    for (const [key, list] of this.byKey) {
      list.slice(1).forEach((next, i) => {
        const prev = list[i];
        if (prev.to === undefined || prev.to >= next.from)
          problems.push(
            `${key.replace('|', ' ')}: the rate from ${prev.from} overlaps the rate from ${next.from}`,
          );
      });
    }
    return problems;
  }

  /**
   * Every jurisdiction a lookup can end in (a subdivision, or a country without subdivisions in the
   * table) has a rate for every tax code, itself or through its country.
   */
  private gaps(): string[] {
    const problems: string[] = [];
    const ids = [...this.jurisdictions.keys()];
    const leaves = ids.filter((id) => id.includes('-') || !ids.some((o) => o.startsWith(`${id}-`)));
    for (const id of leaves) {
      const country = id.slice(0, 2);
      for (const code of Object.keys(this.taxCodes)) {
        if (!this.byKey.has(`${id}|${code}`) && !this.byKey.has(`${country}|${code}`))
          problems.push(`${id} has no rate for ${code}, nor has ${country}`);
      }
    }
    return problems;
  }

  knowsTaxCode(code: string): boolean {
    return Object.hasOwn(this.taxCodes, code);
  }

  /** The rate of `taxCode` for an address in `country` / `region` on `date` (YYYY-MM-DD). */
  lookup(country: string, region: string | undefined, taxCode: string, date: string): RateLookup {
    if (!this.knowsTaxCode(taxCode)) return { kind: 'unknown_tax_code' };
    const subdivision = region === undefined ? undefined : `${country}-${region}`;
    const own = subdivision !== undefined ? this.jurisdictions.get(subdivision) : undefined;
    const shown = own ? subdivision : this.jurisdictions.has(country) ? country : undefined;
    const rowsFrom = [subdivision, country].find(
      (id) => id !== undefined && this.byKey.has(`${id}|${taxCode}`),
    );
    const entry = shown === undefined ? undefined : this.jurisdictions.get(shown);
    if (shown === undefined || rowsFrom === undefined || !entry)
      return { kind: 'unsupported_jurisdiction' };
    const jurisdiction: Jurisdiction = {
      country,
      ...(own && region !== undefined ? { region } : {}),
      name: entry.name,
      taxName: entry.taxName,
    };
    const rows = this.byKey.get(`${rowsFrom}|${taxCode}`) ?? [];
    const row = rows.find((r) => r.from <= date && (r.to === undefined || date <= r.to));
    if (!row)
      return {
        kind: 'not_effective',
        jurisdiction,
        periods: rows.map((r) => ({ from: r.from, ...(r.to ? { to: r.to } : {}) })),
      };
    return { kind: 'found', rate: row.rate, jurisdiction };
  }
}
