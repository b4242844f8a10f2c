import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ServicesModule } from '../services/services.module';
import { DeliveryController } from './api/delivery.controller';
import { DeliveryQueries } from './application/delivery-queries';
import { DELIVERY_SETTINGS, loadDeliverySettings } from './delivery-settings';

/** Delivery performance (the DORA keys) from the deployment timeline and the catalog. */
@Module({
  imports: [ServicesModule],
  controllers: [DeliveryController],
  providers: [
    DeliveryQueries,
    Clock,
    // Read at start-up: a bad DELIVERY_ENVIRONMENT stops the service with its reason.
    { provide: DELIVERY_SETTINGS, useFactory: () => loadDeliverySettings(process.env) },
  ],
})
export class DeliveryModule {}
