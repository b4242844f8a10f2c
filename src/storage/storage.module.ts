import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE } from '../ledger/event-store';
import { SQL_CLIENT } from '../sql/sql-client';
import { openStorage, type Storage } from './open-storage';

const STORAGE = Symbol('Storage');

class StorageLifecycle implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  onApplicationShutdown(): Promise<void> {
    return this.storage.close();
  }
}

/** The configuration, the event store and the read-model database, for every module. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: STORAGE, useFactory: () => openStorage(config) },
        { provide: EVENT_STORE, useFactory: (s: Storage) => s.store, inject: [STORAGE] },
        { provide: SQL_CLIENT, useFactory: (s: Storage) => s.sql, inject: [STORAGE] },
        StorageLifecycle,
      ],
      exports: [APP_CONFIG, EVENT_STORE, SQL_CLIENT],
    };
  }
}
