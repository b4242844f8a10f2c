import { ApiProperty } from '@nestjs/swagger';

export class IngestReceiptDto {
  @ApiProperty({ description: 'Ledger events newly written' })
  recorded!: number;

  @ApiProperty({
    description: 'Observations already in the ledger (a redelivery): nothing written',
  })
  alreadyRecorded!: number;
}
