export * from './accounting-period.dto';
export * from './calendar';
export * from './date-range.dto';
export * from './journal-balance';
export * from './journal-entry.dto';
export * from './legal-entity.dto';
