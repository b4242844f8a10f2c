import { Module } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../sql/sql-client';
import { ServicesController } from './api/services.controller';
import { ExecuteCatalogCommandHandler } from './application/execute-catalog-command.handler';
import { ServiceCatalogQueries } from './read-model/service-catalog-queries';

/** The service catalog and its dependency graph. */
@Module({
  controllers: [ServicesController],
  providers: [
    ExecuteCatalogCommandHandler,
    {
      provide: ServiceCatalogQueries,
      useFactory: (sql: SqlClient) => new ServiceCatalogQueries(sql),
      inject: [SQL_CLIENT],
    },
  ],
  exports: [ServiceCatalogQueries],
})
export class ServicesModule {}
