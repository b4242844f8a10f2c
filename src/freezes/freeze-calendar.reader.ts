import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import type { RecordedEvent } from '../ledger/ledger-event';
import { emptyCalendar, evolveCalendar, type FreezeCalendar } from './domain/freeze-calendar';
import { FREEZES_STREAM, type FreezeEvent } from './domain/freeze-events';

export function asFreezeEvent(event: RecordedEvent): FreezeEvent {
  return { type: event.type, data: event.data } as unknown as FreezeEvent;
}

/**
 * The freeze calendar as the ledger holds it, read on every decision that needs it (a freeze
 * declared a moment ago must stop the next deploy). Only the events since the last read are
 * fetched: one indexed read that usually finds nothing.
 */
@Injectable()
export class FreezeCalendarReader {
  private calendar: FreezeCalendar = emptyCalendar;
  private revision = -1;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async current(): Promise<FreezeCalendar> {
    const events = await this.store.readStream(FREEZES_STREAM, { fromRevision: this.revision + 1 });
    // Two reads in flight may both bring an event: each applies once, in stream order.
    for (const event of events) {
      if (event.revision <= this.revision) continue;
      this.calendar = evolveCalendar(this.calendar, asFreezeEvent(event));
      this.revision = event.revision;
    }
    return this.calendar;
  }
}
