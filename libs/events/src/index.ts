export * from './events.module';
export * from './outbox-event.entity';
export * from './outbox.writer';
