import { PickType } from '@nestjs/swagger';
import { ListChangesQuery } from './list-changes.query';

/** A page of the approver's queue: as many as a page of the change list. */
export class AwaitingApprovalQuery extends PickType(ListChangesQuery, ['limit'] as const) {}
