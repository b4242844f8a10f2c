import { Module } from '@nestjs/common';
import { ComplianceController } from './api/compliance.controller';
import { ComplianceQueries } from './compliance-queries';

/** The auditor's API over the compliance read model (registered in projections.ts). */
@Module({
  controllers: [ComplianceController],
  providers: [ComplianceQueries],
})
export class ComplianceModule {}
