import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandOrigin } from '../../changes/application/execute-change-command';
import { deterministicEventId } from '../../ledger/deterministic-event-id';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { WrongExpectedRevision } from '../../ledger/ledger-errors';
import type { RecordedEvent } from '../../ledger/ledger-event';
import { proposeEvent } from '../../ledger/propose-event';
import { Metrics } from '../../observability/metrics';
import type { CatalogEvent } from '../domain/catalog-events';
import {
  emptyCatalog,
  evolveCatalog,
  type Catalog,
  type CatalogEntry,
} from '../domain/catalog-state';
import { decideCatalog } from '../domain/decide-catalog';
import { SERVICE_CATALOG_STREAM } from './catalog-stream';
import { ExecuteCatalogCommand, type CatalogCommandResult } from './execute-catalog-command';

/**
 * Every catalog write contends on the one catalog stream; writes are rare (people edit the
 * catalog), so a few re-decisions after a lost race are enough.
 */
const MAX_ATTEMPTS = 10;

function asCatalogEvent(event: RecordedEvent): CatalogEvent {
  return { type: event.type, data: event.data } as unknown as CatalogEvent;
}

function eventIdFor(origin: CommandOrigin, index: number): string {
  return origin.idempotencyKey === undefined
    ? randomUUID()
    : deterministicEventId(origin.idempotencyKey, index);
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

  async execute({ command, origin }: ExecuteCatalogCommand): Promise<CatalogCommandResult> {
    const name = command.service.name;
    for (let attempt = 1; ; attempt += 1) {
      const events = await this.store.readStream(SERVICE_CATALOG_STREAM);
      const catalog = events.reduce((c, e) => evolveCatalog(c, asCatalogEvent(e)), emptyCatalog);
      const revision = events.length - 1;
      // A retried request finds what its first delivery recorded and is not decided again.
      const retried =
        origin.idempotencyKey !== undefined &&
        events.some((e) => e.eventId === eventIdFor(origin, 0));
      const decided = retried ? [] : decideCatalog(command, catalog);
      if (decided.length === 0) {
        return { service: entry(catalog, name), catalogRevision: revision, recorded: false };
      }
      const proposed = decided.map((event, index) =>
        proposeEvent(eventIdFor(origin, index), event.type, event.data, {
          actor: command.actor.id,
          source: origin.source,
          correlationId: origin.correlationId,
          causationId: origin.causationId ?? null,
          occurredAt: command.at,
        }),
      );
      try {
        const appended = await this.store.append(
          SERVICE_CATALOG_STREAM,
          revision < 0 ? 'no-stream' : revision,
          proposed,
        );
        for (const event of decided) this.metrics.eventsAppended.inc({ type: event.type });
        return {
          service: entry(decided.reduce(evolveCatalog, catalog), name),
          catalogRevision: appended.lastRevision,
          recorded: true,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        this.metrics.appendConflicts.inc();
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
