import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commandEventId, decideAndAppend, type Attempt } from '../../ledger/decide-and-append';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { metadataFor, proposeEvent } from '../../ledger/propose-event';
import { Metrics } from '../../observability/metrics';
import type { CatalogEvent } from '../domain/catalog-events';
import {
  emptyCatalog,
  evolveCatalog,
  type Catalog,
  type CatalogEntry,
} from '../domain/catalog-state';
import { decideCatalog } from '../domain/decide-catalog';
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
    const name = command.service.name;
    const key = origin.idempotencyKey;
    return decideAndAppend(
      this.store,
      SERVICE_CATALOG_STREAM,
      (events, revision): Promise<Attempt<CatalogCommandResult>> => {
        const catalog = events.reduce((c, e) => evolveCatalog(c, asCatalogEvent(e)), emptyCatalog);
        // A retried request finds what its first delivery recorded and is not decided again.
        const retried =
          key !== undefined && events.some((e) => e.eventId === commandEventId(key, 0));
        const decided = retried ? [] : decideCatalog(command, catalog);
        if (decided.length === 0) {
          return Promise.resolve({
            answer: { service: entry(catalog, name), catalogRevision: revision, recorded: false },
          });
        }
        return Promise.resolve({
          append: decided.map((event, index) =>
            proposeEvent(
              commandEventId(key, index),
              event.type,
              event.data,
              metadataFor(command.actor.id, command.at, origin),
            ),
          ),
          answer: (appended) => {
            for (const event of decided) this.metrics.eventsAppended.inc({ type: event.type });
            return {
              service: entry(decided.reduce(evolveCatalog, catalog), name),
              catalogRevision: appended.lastRevision,
              recorded: true,
            };
          },
        });
      },
      { maxAttempts: MAX_ATTEMPTS, onConflict: () => this.metrics.appendConflicts.inc() },
    );
  }
}
