import { Module } from '@nestjs/common';
import { CalibrationController } from './api/calibration.controller';
import { ComplianceController } from './api/compliance.controller';
import { CalibrationQueries } from './read-model/calibration-queries';
import { ComplianceQueries } from './read-model/compliance-queries';

/** The auditor's API over the compliance read model (registered in src/read-models.ts). */
@Module({
  controllers: [ComplianceController, CalibrationController],
  providers: [ComplianceQueries, CalibrationQueries],
})
export class ComplianceModule {}
