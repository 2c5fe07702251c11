export * from './event-envelope';
export * from './money';
