export * from './event-envelope';
export * from './money/money';
export * from './money/money.dto';
export * from './billing';
export * from './tax';
export * from './usage';
export * from './erp';
export * from './revenue';
export { REFERENCE, REFERENCE_RULE } from './erp/field-rules';
