import { Command } from '@nestjs/cqrs';
import type { CommandOrigin } from '../../kernel/command-origin';
import type { CatalogCommand } from '../domain/catalog-commands';
import type { CatalogEntry } from '../domain/catalog-state';

export interface CatalogCommandResult {
  readonly service: CatalogEntry;
  /** The catalog stream's revision after the command. */
  readonly catalogRevision: number;
  /** False when the command changed nothing (or repeated an Idempotency-Key). */
  readonly recorded: boolean;
}

/** Registers or updates a service: load the catalog stream, decide, append at its revision. */
export class ExecuteCatalogCommand extends Command<CatalogCommandResult> {
  constructor(
    readonly command: CatalogCommand,
    readonly origin: CommandOrigin,
  ) {
    super();
  }
}
