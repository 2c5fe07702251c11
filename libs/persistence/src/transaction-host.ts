import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

/**
 * The ambient unit of work: code inside `run()` shares one transaction without passing it around,
 * so a state change and its outbox event commit together.
 */
@Injectable()
export class TransactionHost {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** The current transaction's manager, or the pool's outside a transaction. */
  get manager(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }

  /**
   * Runs `work` in a transaction, joining the current one if there is one (the joined transaction
   * keeps its own isolation level).
   */
  run<T>(work: () => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    if (this.storage.getStore()) return work();
    return this.dataSource.transaction(isolation, (manager) => this.storage.run(manager, work));
  }

  /**
   * Runs `work` outside the current transaction, and so does everything it starts: work that
   * outlives the caller (a durable workflow started from a request) must never reach the caller's
   * transaction once it has committed.
   */
  outside<T>(work: () => T): T {
    return this.storage.exit(work);
  }
}
