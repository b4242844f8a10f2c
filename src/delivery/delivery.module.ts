import { Global, Module } from '@nestjs/common';
import { CHANGE_FACTS } from '../policy/risk/change-facts';
import { ServicesModule } from '../services/services.module';
import { DeliveryController } from './api/delivery.controller';
import { DeliveryQueries } from './application/delivery-queries';
import { ChangeFactsReader } from './change-facts.reader';

/**
 * Delivery performance (the DORA keys) from the deployment timeline and the catalog; and, from
 * the same history, the facts a change's risk is assessed on (global: the command path needs
 * them without depending on this module).
 */
@Global()
@Module({
  imports: [ServicesModule],
  controllers: [DeliveryController],
  providers: [DeliveryQueries, { provide: CHANGE_FACTS, useClass: ChangeFactsReader }],
  exports: [CHANGE_FACTS],
})
export class DeliveryModule {}
