import { parsePrometheusText, quantile } from './prometheus-text';

describe('parsePrometheusText', () => {
  const text = [
    '# HELP upstream_breaker_state Circuit breaker per upstream',
    '# TYPE upstream_breaker_state gauge',
    'upstream_breaker_state{upstream="erp"} 2',
    'upstream_breaker_state{upstream="billing"} 0',
    'outbox_lag_seconds 12.5',
    'webhook_deliveries{status="dead",note="a \\"quoted\\" \\\\ value"} 3',
    'http_request_duration_seconds_bucket{le="+Inf"} 9',
    'garbage line',
    'upstream_budget_in_flight{upstream="erp"} NaN',
  ].join('\n');
  const wanted = new Set([
    'upstream_breaker_state',
    'outbox_lag_seconds',
    'webhook_deliveries',
    'upstream_budget_in_flight',
  ]);

  it('reads the wanted samples with their labels, and nothing else', () => {
    expect(parsePrometheusText(text, wanted)).toEqual([
      { name: 'upstream_breaker_state', labels: { upstream: 'erp' }, value: 2 },
      { name: 'upstream_breaker_state', labels: { upstream: 'billing' }, value: 0 },
      { name: 'outbox_lag_seconds', labels: {}, value: 12.5 },
      {
        name: 'webhook_deliveries',
        labels: { status: 'dead', note: 'a "quoted" \\ value' },
        value: 3,
      },
    ]);
  });

  it('reads an empty answer as no samples', () => {
    expect(parsePrometheusText('', wanted)).toEqual([]);
  });
});

describe('quantile (nearest rank)', () => {
  it('picks the rank ceil(q·n) of sorted values', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(10);
    expect(quantile(values, 0.95)).toBe(19);
    expect(quantile(values, 1)).toBe(20);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});
