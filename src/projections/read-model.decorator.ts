import { SetMetadata } from '@nestjs/common';

export const READ_MODELS = 'change-ledger:read-models';

/** Marks a route as served from these read models: its response says how far behind they are. */
export const ReadModel = (...projections: string[]) => SetMetadata(READ_MODELS, projections);
