import { Module } from '@nestjs/common';
import { VerificationController } from './api/verification.controller';

@Module({ controllers: [VerificationController] })
export class LedgerModule {}
