/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Partial<Record<string, string>>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of a /metrics answer (text format 0.0.4), the ones named in `wanted` only. Comments
 * and other metrics are skipped; label values are unescaped.
 */
export function parsePrometheusText(text: string, wanted: ReadonlySet<string>): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, labelText, raw] = m as unknown as [string, string, string | undefined, string];
    if (!wanted.has(name)) continue;
    const labels: Record<string, string> = {};
    for (const [, key, text] of (labelText ?? '').matchAll(LABEL))
      labels[key] = text.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    const value = Number(raw);
    if (!Number.isNaN(value)) samples.push({ name, labels, value });
  }
  return samples;
}

/** The value at quantile q (0…1) of sorted numbers, nearest-rank; undefined when empty. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
