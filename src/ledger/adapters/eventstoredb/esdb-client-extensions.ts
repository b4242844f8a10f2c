import type { Readable } from 'node:stream';
import type {
  AllStreamResolvedEvent,
  BaseOptions,
  EventStoreDBClient,
  GRPCClientConstructor,
} from '@eventstore/db-client';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { convertToCommandError } from '@eventstore/db-client/dist/utils/CommandError';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { CallOptions, Channel, Client as GrpcClient, Metadata } from '@grpc/grpc-js';
import type { EsdbPosition } from './esdb-position';

/**
 * The client's protected plumbing that its own read methods are built on (see CLIENT.md):
 * reusing it keeps credentials, deadlines and reconnect-on-failure exactly as for every other
 * call. Pinned by @eventstore/db-client 6.2.1, the last release of that package.
 */
interface ClientPlumbing {
  GRPCStreamCreator<C extends GrpcClient, T extends Readable>(
    client: GRPCClientConstructor<C>,
    debugName: string,
    creator: (client: C) => T | Promise<T>,
  ): () => Promise<T>;
  callArguments(options: BaseOptions, callOptions?: CallOptions): [Metadata, CallOptions];
  getChannel(): Promise<Channel>;
}

function plumbing(client: EventStoreDBClient): ClientPlumbing {
  return client as unknown as ClientPlumbing;
}

export interface FilteredReadOptions {
  /** Read from here, inclusive (a `$all` read position points at the start of a record). */
  readonly from: EsdbPosition | 'start';
  readonly maxCount: number;
  /** Server-side filter: only events whose stream name starts with one of these. */
  readonly streamPrefixes: readonly string[];
}

/**
 * Reads `$all` forwards with a server-side stream-name filter. The 6.x client offers filters
 * only on subscriptions, but the server also serves filtered reads (a ReadReq with
 * FilterOptions and a count): this sends that request on the client's own channel.
 */
export async function readAllFiltered(
  client: EventStoreDBClient,
  { from, maxCount, streamPrefixes }: FilteredReadOptions,
): Promise<AllStreamResolvedEvent[]> {
  const options = new ReadReq.Options();
  const all = new ReadReq.Options.AllOptions();
  if (from === 'start') {
    all.setStart(new Empty());
  } else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(from.commit.toString(10));
    position.setPreparePosition(from.prepare.toString(10));
    all.setPosition(position);
  }
  const expression = new ReadReq.Options.FilterOptions.Expression();
  expression.setPrefixList([...streamPrefixes]);
  const filter = new ReadReq.Options.FilterOptions();
  filter.setStreamIdentifier(expression);
  filter.setCount(new Empty());
  filter.setCheckpointintervalmultiplier(1);
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  options.setAll(all);
  options.setReadDirection(ReadReq.Options.ReadDirection.FORWARDS);
  options.setResolveLinks(false);
  options.setCount(String(maxCount));
  options.setFilter(filter);
  options.setUuidOption(uuid);
  const request = new ReadReq();
  request.setOptions(options);

  const internals = plumbing(client);
  const open = internals.GRPCStreamCreator(StreamsClient, 'readAllFiltered', (streams) =>
    streams.read(request, ...internals.callArguments({})),
  );
  const events: AllStreamResolvedEvent[] = [];
  try {
    for await (const response of (await open()) as AsyncIterable<ReadResp>) {
      const event = response.getEvent();
      if (event) events.push(convertGrpcEvent<AllStreamResolvedEvent>(event));
    }
  } catch (error) {
    throw convertToCommandError(error as Error);
  }
  return events;
}

/** `dispose()` cancels calls but leaves the channel (and its sockets and timers) open. */
export async function closeClient(client: EventStoreDBClient): Promise<void> {
  await client.dispose();
  try {
    (await plumbing(client).getChannel()).close();
  } catch {
    // No channel could be made (e.g. discovery failed): nothing is open.
  }
}
