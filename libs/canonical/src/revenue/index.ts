export * from './revenue-allocation';
export * from './revenue-schedule.dto';
