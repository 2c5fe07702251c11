export * from './event-envelope';
export * from './money/money';
export * from './money/money.dto';
export * from './tax';
