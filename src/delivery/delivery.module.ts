import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { DeliveryController } from './api/delivery.controller';
import { DeliveryQueries } from './application/delivery-queries';

/** Delivery performance (the DORA keys) from the deployment timeline and the catalog. */
@Module({
  imports: [ServicesModule],
  controllers: [DeliveryController],
  providers: [DeliveryQueries],
})
export class DeliveryModule {}
