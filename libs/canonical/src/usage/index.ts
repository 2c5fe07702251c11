export * from './rated-usage.dto';
export * from './usage-event.dto';
export * from './usage-summary';
