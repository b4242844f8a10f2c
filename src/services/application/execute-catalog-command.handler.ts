import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOnStream } from '../../ledger/decide-on-stream';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { Metrics } from '../../observability/metrics';
import type { CatalogEvent } from '../domain/catalog-events';
import type { Catalog, CatalogEntry } from '../domain/catalog-state';
import { catalogDecider } from '../domain/decide-catalog';
import { SERVICE_CATALOG_STREAM } from '../domain/catalog-stream';
import { ExecuteCatalogCommand, type CatalogCommandResult } from './execute-catalog-command';

/**
 * Every catalog write contends on the one catalog stream; writes are rare (people edit the
 * catalog), so a few re-decisions after a lost race are enough.
 */
const MAX_ATTEMPTS = 10;

function asCatalogEvent(event: RecordedEvent): CatalogEvent {
  return { type: event.type, data: event.data } as unknown as CatalogEvent;
}

function entry(catalog: Catalog, name: string): CatalogEntry {
  const found = catalog.get(name);
  if (!found) throw new Error(`service ${name} is missing from the catalog it was decided on`);
  return found;
}

@CommandHandler(ExecuteCatalogCommand)
export class ExecuteCatalogCommandHandler implements ICommandHandler<ExecuteCatalogCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  execute({ command, origin }: ExecuteCatalogCommand): Promise<CatalogCommandResult> {
    return decideOnStream(
      this.store,
      this.metrics,
      {
        decider: catalogDecider,
        streamId: SERVICE_CATALOG_STREAM,
        asEvent: asCatalogEvent,
        maxAttempts: MAX_ATTEMPTS,
      },
      command,
      origin,
      (catalog, catalogRevision, recorded) => ({
        service: entry(catalog, command.service.name),
        catalogRevision,
        recorded,
      }),
    );
  }
}
