export * from './jurisdictions';
export * from './tax-address.dto';
export * from './tax-document.dto';
export * from './tax-result.dto';
