import { fitsAmountColumn, lineTotal, sumOfTotals } from './line-total';

const line = (quantity: string, unitPrice: string, discountPercent = '0') => ({
  quantity,
  unitPrice,
  discountPercent,
});

describe('lineTotal', () => {
  it.each([
    // quantity, unitPrice, discount, currency, total
    ['3', '33.335', '0', 'USD', '100.01'], // 100.005 rounds half-up
    ['1', '0.125', '0', 'USD', '0.13'], // half-up, not banker's (0.12)
    ['1', '0.135', '0', 'EUR', '0.14'],
    ['1', '0.0049', '0', 'USD', '0.00'],
    ['2.5', '19.99', '15', 'USD', '42.48'], // 42.47875
    ['10', '1200', '10', 'USD', '10800.00'],
    ['7', '14.285', '0.5', 'USD', '99.50'], // 99.495075
    ['1', '2.5', '0', 'JPY', '3'], // half-up to whole yen, not banker's (2)
    ['3', '333.5', '0', 'JPY', '1001'],
    ['1', '999', '12.5', 'JPY', '874'], // 874.125
    ['1', '1.23456', '0', 'KWD', '1.235'],
    ['3', '0.3335', '0', 'BHD', '1.001'], // 1.0005
    ['0.000001', '0', '100', 'USD', '0.00'],
    ['5', '100', '100', 'USD', '0.00'],
    ['1', '100', '33.3333', 'USD', '66.67'], // 66.6667
    ['1', '0', '0', 'XYZ', '0.00'], // unknown currencies have 2 minor units
  ])('%s × %s less %s%% in %s is %s', (quantity, unitPrice, discount, currency, total) => {
    expect(lineTotal(line(quantity, unitPrice, discount), currency)).toBe(total);
  });

  it('keeps every digit of the largest inputs the API accepts', () => {
    expect(lineTotal(line('999999999999.999999', '999999999999999.999999'), 'USD')).toBe(
      '999999999999999998999000000.00',
    );
    expect(lineTotal(line('0.000001', '0.000001'), 'USD')).toBe('0.00');
    // 123456912468.912468123456 × 0.999999 = 123456789011.999999210988…
    expect(lineTotal(line('123456789012.123456', '1.000001', '0.0001'), 'USD')).toBe(
      '123456789012.00',
    );
  });

  it('does not lose precision to binary floating point', () => {
    // 0.1 × 3 is 0.30000000000000004 in floating point; 1.005 × 1 rounds down in floating point.
    expect(lineTotal(line('3', '0.1'), 'USD')).toBe('0.30');
    expect(lineTotal(line('1', '1.005'), 'USD')).toBe('1.01');
  });
});

describe('sumOfTotals', () => {
  it('adds the rounded totals and formats to the currency', () => {
    expect(sumOfTotals(['100.01', '42.48'], 'USD')).toBe('142.49');
    expect(sumOfTotals(['1001', '874'], 'JPY')).toBe('1875');
    expect(sumOfTotals(['1.235', '1.001'], 'KWD')).toBe('2.236');
    expect(sumOfTotals([], 'USD')).toBe('0.00');
    expect(sumOfTotals([], 'JPY')).toBe('0');
  });
});

describe('fitsAmountColumn', () => {
  it('accepts what numeric(24,4) holds and nothing larger', () => {
    expect(fitsAmountColumn('0')).toBe(true);
    expect(fitsAmountColumn('99999999999999999999.99')).toBe(true);
    expect(fitsAmountColumn('99999999999999999999.9999')).toBe(true);
    expect(fitsAmountColumn('100000000000000000000.00')).toBe(false);
    expect(fitsAmountColumn('999999999999999998999000000.00')).toBe(false);
    expect(fitsAmountColumn('-100000000000000000000')).toBe(false);
  });
});
