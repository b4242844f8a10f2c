import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ComplianceQueries } from '../compliance/read-model/compliance-queries';
import { EvidenceController } from './api/evidence.controller';
import { EvidenceBuilder } from './evidence-builder';

/** Evidence bundles: proofs from the ledger's tree, records from the compliance read model. */
@Module({
  controllers: [EvidenceController],
  providers: [EvidenceBuilder, ComplianceQueries, Clock],
})
export class EvidenceModule {}
