import { randomUUID } from 'node:crypto';
import {
  Metadata,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  AllStreamPosition,
  Empty,
  StreamDeleted as StreamDeletedDetails,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion as WrongExpectedVersionDetails,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
  TombstoneReq,
  TombstoneResp,
} from '@eventstore/db-client/generated/streams_pb';
import {
  type AllFilter,
  type AllPosition,
  type AppendOutcome,
  type ExpectedState,
  InMemoryStreamsLog,
  type LogRecord,
  matchesFilter,
  type ProposedRecord,
} from './in-memory-streams-log';

/*
 * A PROTOCOL TEST DOUBLE, not EventStoreDB: an in-memory gRPC server speaking the part of the
 * EventStoreDB streams protocol that the ledger adapter (through @eventstore/db-client) uses,
 * built from the service definitions and protobuf messages that ship inside the client:
 *
 *   Streams.Append       client-streaming: options, then proposed messages
 *   Streams.BatchAppend  bidirectional, correlated batches (used when ServerFeatures lists it)
 *   Streams.Read         a stream (forwards/backwards, from a revision, count); $all (from a
 *                        position, optional filter, count); $all subscriptions (catch-up, then
 *                        "caught up", then live)
 *   Streams.Tombstone    so tests can hard-delete a stream through the real client
 *   ServerFeatures.GetSupportedMethods   what the client asks before its first append
 *
 * Semantics follow the server's documentation (expected revision, idempotent appends, $all
 * filtering); anything else answers UNIMPLEMENTED. Passing against it says the adapter and the
 * client agree about this protocol, not that a real server behaves the same: the suite in
 * test/eventstoredb.test.ts runs against a real server when EVENTSTORE_CONNECTION_STRING is set.
 */

export interface StreamsProtocolTestServerOptions {
  /** List Streams.BatchAppend in ServerFeatures, as servers since 21.10 do (default true). */
  readonly batchAppend?: boolean;
}

const STREAMS_SERVICE = 'event_store.client.streams.Streams';
const FEATURES_SERVICE = 'event_store.client.server_features.ServerFeatures';
/** The server pages filtered reads by this many events when no window is given. */
const DEFAULT_FILTER_WINDOW = 32;

interface LiveSubscription {
  readonly call: ServerWritableStream<ReadReq, ReadResp>;
  readonly stop: () => void;
}

class ProtocolError extends Error {
  constructor(
    readonly code: status,
    details: string,
    readonly metadata: Metadata = new Metadata(),
  ) {
    super(details);
  }

  toServiceError() {
    return { code: this.code, details: this.message, metadata: this.metadata };
  }
}

export class StreamsProtocolTestServer {
  readonly log = new InMemoryStreamsLog();
  /** How often each method was called, e.g. "Streams/BatchAppend": which path the client took. */
  readonly calls = new Map<string, number>();
  private readonly subscriptions = new Set<LiveSubscription>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(
    options: StreamsProtocolTestServerOptions = {},
  ): Promise<StreamsProtocolTestServer> {
    const server = new Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const double = new StreamsProtocolTestServer(server, port);
    double.writeSystemRecords();
    server.addService(StreamsService, {
      read: (call: ServerWritableStream<ReadReq, ReadResp>) => double.read(call),
      append: (
        call: ServerReadableStream<AppendReq, AppendResp>,
        done: sendUnaryData<AppendResp>,
      ) => double.append(call, done),
      batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) =>
        double.batchAppend(call),
      tombstone: (
        call: ServerUnaryCall<TombstoneReq, TombstoneResp>,
        done: sendUnaryData<TombstoneResp>,
      ) => double.tombstone(call, done),
      delete: (_call: unknown, done: sendUnaryData<never>) =>
        done({
          code: status.UNIMPLEMENTED,
          details: 'soft delete is not part of this test double',
        }),
    });
    if (options.batchAppend ?? true) {
      server.addService(ServerFeaturesService, {
        getSupportedMethods: (_call: unknown, done: sendUnaryData<SupportedMethods>) => {
          double.count('ServerFeatures/GetSupportedMethods');
          done(null, supportedMethods());
        },
      });
    }
    return double;
  }

  /** Single node, no TLS: the client connects directly, without gossip. */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** A server-side record outside any user stream, as the real log has ($settings, stats, ...). */
  appendSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.log.append(streamId, { kind: 'any' }, [jsonRecord(type, { at: Date.now() })]);
  }

  /** Ends every live subscription with this status, as a server does for a slow consumer. */
  dropSubscriptions(code: status = status.ABORTED, details = 'Consumer too slow'): number {
    const dropped = [...this.subscriptions];
    for (const subscription of dropped) {
      subscription.stop();
      subscription.call.emit('error', { code, details, metadata: new Metadata() });
    }
    return dropped.length;
  }

  get liveSubscriptions(): number {
    return this.subscriptions.size;
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.stop();
    this.server.forceShutdown();
    await new Promise((resolve) => setImmediate(resolve));
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  private writeSystemRecords(): void {
    this.log.append('$settings', { kind: 'no-stream' }, [jsonRecord('$settings', {})]);
    this.appendSystemEvent();
  }

  // --- Streams.Read -------------------------------------------------------------------------

  private read(call: ServerWritableStream<ReadReq, ReadResp>): void {
    this.count('Streams/Read');
    try {
      const options = call.request.getOptions();
      if (!options) throw new ProtocolError(status.INVALID_ARGUMENT, 'ReadReq without options');
      const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
      const toResp = (record: LogRecord) => readResp(record, structuredIds);
      const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;

      const stream = options.getStream();
      if (stream) {
        if (options.hasSubscription()) {
          throw new ProtocolError(
            status.UNIMPLEMENTED,
            'stream subscriptions are not part of this test double',
          );
        }
        if (options.hasFilter()) {
          throw new ProtocolError(status.UNKNOWN, 'a stream read takes no filter');
        }
        const streamId = streamName(stream.getStreamIdentifier());
        const from = stream.hasRevision()
          ? BigInt(stream.getRevision())
          : stream.hasEnd()
            ? null
            : forwards
              ? 0n
              : null;
        const read = this.log.readStream(
          streamId,
          forwards ? 'forwards' : 'backwards',
          stream.hasEnd() && forwards ? null : from,
          BigInt(options.getCount()),
        );
        if (read.result === 'deleted') throw streamDeleted(streamId);
        if (read.result === 'not-found') {
          const notFound = new ReadResp.StreamNotFound();
          notFound.setStreamIdentifier(identifier(streamId));
          call.write(new ReadResp().setStreamNotFound(notFound));
        } else {
          for (const record of read.records) call.write(toResp(record));
        }
        call.end();
        return;
      }

      const all = options.getAll();
      if (!all)
        throw new ProtocolError(status.INVALID_ARGUMENT, 'ReadReq reads neither a stream nor $all');
      const filter = options.hasFilter() ? toFilter(options.getFilter()) : null;
      const from: AllPosition | 'start' | 'end' = all.hasPosition()
        ? toPosition(all.getPosition())
        : all.hasEnd()
          ? 'end'
          : 'start';
      if (options.hasSubscription()) {
        if (!forwards) throw new ProtocolError(status.UNKNOWN, 'subscriptions read forwards');
        this.subscribe(call, from, filter, options.getFilter(), toResp);
        return;
      }
      const records = this.log.readAll(
        forwards ? 'forwards' : 'backwards',
        from,
        BigInt(options.getCount()),
        filter,
      );
      for (const record of records) call.write(toResp(record));
      call.end();
    } catch (error) {
      call.emit('error', asServiceError(error));
    }
  }

  private subscribe(
    call: ServerWritableStream<ReadReq, ReadResp>,
    from: AllPosition | 'start' | 'end',
    filter: AllFilter | null,
    filterOptions: ReadReq.Options.FilterOptions | undefined,
    toResp: (record: LogRecord) => ReadResp,
  ): void {
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    call.write(new ReadResp().setConfirmation(confirmation));

    // Filtered subscriptions report progress every (window x multiplier) events considered.
    const window = filterOptions?.hasMax() ? filterOptions.getMax() : DEFAULT_FILTER_WINDOW;
    const interval = Math.max(1, window * (filterOptions?.getCheckpointintervalmultiplier() || 1));
    let considered = 0;
    const deliver = (record: LogRecord) => {
      if (matchesFilter(record, filter)) call.write(toResp(record));
      considered += 1;
      if (filter !== null && considered % interval === 0) {
        const checkpoint = new ReadResp.Checkpoint();
        checkpoint.setCommitPosition(record.position.toString());
        checkpoint.setPreparePosition(record.position.toString());
        call.write(new ReadResp().setCheckpoint(checkpoint));
      }
    };

    // Catch-up and going live happen in one turn of the event loop, so nothing falls between.
    if (from !== 'end') {
      for (const record of this.log.recordsAfter(from === 'start' ? null : from)) deliver(record);
    }
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    const unsubscribe = this.log.onCommit(deliver);
    const subscription: LiveSubscription = {
      call,
      stop: () => {
        unsubscribe();
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    call.on('cancelled', subscription.stop);
    call.on('close', subscription.stop);
  }

  // --- Streams.Append -----------------------------------------------------------------------

  private append(
    call: ServerReadableStream<AppendReq, AppendResp>,
    done: sendUnaryData<AppendResp>,
  ): void {
    this.count('Streams/Append');
    let options: AppendReq.Options | undefined;
    const events: ProposedRecord[] = [];
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      done(asServiceError(error));
    };
    call.on('data', (request: AppendReq) => {
      try {
        if (options === undefined) {
          options = request.getOptions();
          if (!options)
            throw new ProtocolError(
              status.INVALID_ARGUMENT,
              'the first AppendReq must carry options',
            );
          return;
        }
        const message = request.getProposedMessage();
        if (!message)
          throw new ProtocolError(status.INVALID_ARGUMENT, 'AppendReq without a proposed message');
        events.push(proposedRecord(message));
      } catch (error) {
        fail(error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      try {
        if (!options) throw new ProtocolError(status.INVALID_ARGUMENT, 'append without options');
        const streamId = streamName(options.getStreamIdentifier());
        const expected = expectedOf(options);
        const outcome = this.log.append(streamId, expected, events);
        if (outcome.result === 'stream-deleted') throw streamDeleted(streamId);
        done(null, appendResp(outcome, expected));
      } catch (error) {
        fail(error);
      }
    });
    call.on('error', fail);
  }

  // --- Streams.BatchAppend ------------------------------------------------------------------

  private batchAppend(call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    this.count('Streams/BatchAppend');
    const pending = new Map<
      string,
      { options: BatchAppendReq.Options; events: ProposedRecord[] }
    >();
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = uuidString(correlation);
      const options = request.getOptions();
      if (options && !pending.has(key)) pending.set(key, { options, events: [] });
      const batch = pending.get(key);
      if (!batch) return; // A batch whose options never came: the server ignores it too.
      const response = new BatchAppendResp();
      response.setCorrelationId(correlation);
      response.setStreamIdentifier(batch.options.getStreamIdentifier());
      try {
        for (const message of request.getProposedMessagesList())
          batch.events.push(proposedRecord(message));
        if (!request.getIsFinal()) return;
        pending.delete(key);
        const streamId = streamName(batch.options.getStreamIdentifier());
        const expected = expectedOf(batch.options);
        const outcome = this.log.append(streamId, expected, batch.events);
        if (outcome.result === 'success') {
          const success = new BatchAppendResp.Success();
          if (outcome.currentRevision < 0n) success.setNoStream(new ProtobufEmpty());
          else success.setCurrentRevision(outcome.currentRevision.toString());
          if (outcome.position === null) success.setNoPosition(new ProtobufEmpty());
          else success.setPosition(allStreamPosition(outcome.position));
          response.setSuccess(success);
        } else if (outcome.result === 'stream-deleted') {
          const details = new StreamDeletedDetails();
          details.setStreamIdentifier(identifier(streamId));
          response.setError(
            rpcStatus(
              status.FAILED_PRECONDITION,
              `Event stream '${streamId}' is deleted.`,
              details,
              'event_store.client.StreamDeleted',
            ),
          );
        } else {
          response.setError(
            rpcStatus(
              status.FAILED_PRECONDITION,
              'WrongExpectedVersion',
              wrongExpectedVersionDetails(outcome.currentRevision, expected),
              'event_store.client.WrongExpectedVersion',
            ),
          );
        }
      } catch (error) {
        pending.delete(key);
        response.setError(rpcStatus(status.INVALID_ARGUMENT, (error as Error).message));
      }
      call.write(response);
    });
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
  }

  // --- Streams.Tombstone --------------------------------------------------------------------

  private tombstone(
    call: ServerUnaryCall<TombstoneReq, TombstoneResp>,
    done: sendUnaryData<TombstoneResp>,
  ): void {
    this.count('Streams/Tombstone');
    try {
      const options = call.request.getOptions();
      if (!options)
        throw new ProtocolError(status.INVALID_ARGUMENT, 'TombstoneReq without options');
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedOf(options);
      const outcome = this.log.tombstone(streamId, expected);
      if (outcome.result === 'stream-deleted') throw streamDeleted(streamId);
      if (outcome.result === 'wrong-expected-version') {
        throw wrongExpectedVersionError(streamId, expected, outcome.currentRevision);
      }
      const response = new TombstoneResp();
      const position = new TombstoneResp.Position();
      position.setCommitPosition(String(outcome.position));
      position.setPreparePosition(String(outcome.position));
      done(null, response.setPosition(position));
    } catch (error) {
      done(asServiceError(error));
    }
  }
}

// --- messages ----------------------------------------------------------------------------------

function supportedMethods(): SupportedMethods {
  const methods = new SupportedMethods();
  methods.setEventStoreServerVersion('0.0.0-streams-protocol-test-double');
  const add = (service: string, method: string) => {
    const supported = new SupportedMethod();
    supported.setServiceName(service);
    supported.setMethodName(method);
    methods.addMethods(supported);
  };
  for (const method of ['Read', 'Append', 'BatchAppend', 'Tombstone']) add(STREAMS_SERVICE, method);
  add(FEATURES_SERVICE, 'GetSupportedMethods');
  return methods;
}

function jsonRecord(type: string, data: unknown): ProposedRecord {
  return {
    eventId: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(data)),
    metadata: new Uint8Array(),
  };
}

function proposedRecord(
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
): ProposedRecord {
  const type = message.getMetadataMap().get('type');
  const contentType = message.getMetadataMap().get('content-type');
  if (type === undefined || contentType === undefined) {
    const metadata = new Metadata();
    metadata.set('exception', 'missing-required-metadata-property');
    metadata.set('required-metadata-properties', 'type,content-type');
    throw new ProtocolError(
      status.INVALID_ARGUMENT,
      "Required Metadata Property 'type' is missing",
      metadata,
    );
  }
  return {
    eventId: uuidString(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function readResp(record: LogRecord, structuredIds: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(record.eventId, structuredIds));
  recorded.setStreamIdentifier(identifier(record.streamId));
  recorded.setStreamRevision(record.revision.toString());
  // Since 22.10 stream reads carry the $all position too; the adapter relies on it.
  recorded.setCommitPosition(record.position.toString());
  recorded.setPreparePosition(record.position.toString());
  recorded.getMetadataMap().set('type', record.type);
  recorded.getMetadataMap().set('content-type', record.contentType);
  recorded.getMetadataMap().set('created', record.created.toString());
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.metadata);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.position.toString());
  return new ReadResp().setEvent(event);
}

function appendResp(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  const response = new AppendResp();
  if (outcome.result === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === null) {
      success.setNoPosition(new Empty());
    } else {
      const position = new AppendResp.Position();
      position.setCommitPosition(outcome.position.toString());
      position.setPreparePosition(outcome.position.toString());
      success.setPosition(position);
    }
    return response.setSuccess(success);
  }
  if (outcome.result !== 'wrong-expected-version') throw new Error('unreachable');
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.currentRevision.toString());
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'stream-exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    case 'no-stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      break;
  }
  return response.setWrongExpectedVersion(wrong);
}

function wrongExpectedVersionDetails(
  current: bigint,
  expected: ExpectedState,
): WrongExpectedVersionDetails {
  const details = new WrongExpectedVersionDetails();
  if (current < 0n) details.setCurrentNoStream(new ProtobufEmpty());
  else details.setCurrentStreamRevision(current.toString());
  switch (expected.kind) {
    case 'any':
      details.setExpectedAny(new ProtobufEmpty());
      break;
    case 'stream-exists':
      details.setExpectedStreamExists(new ProtobufEmpty());
      break;
    case 'no-stream':
      details.setExpectedNoStream(new ProtobufEmpty());
      break;
    case 'revision':
      details.setExpectedStreamPosition(expected.revision.toString());
      break;
  }
  return details;
}

function rpcStatus(
  code: status,
  message: string,
  details?: { serializeBinary(): Uint8Array },
  typeName?: string,
): Status {
  const result = new Status();
  result.setCode(code as number);
  result.setMessage(message);
  const any = new Any();
  if (details && typeName) any.pack(details.serializeBinary(), typeName);
  else any.pack(new ProtobufEmpty().serializeBinary(), 'google.protobuf.Empty');
  result.setDetails(any);
  return result;
}

function allStreamPosition(position: bigint): AllStreamPosition {
  const result = new AllStreamPosition();
  result.setCommitPosition(position.toString());
  result.setPreparePosition(position.toString());
  return result;
}

function expectedOf(
  options: AppendReq.Options | BatchAppendReq.Options | TombstoneReq.Options,
): ExpectedState {
  if (options.hasAny()) return { kind: 'any' };
  if (options.hasNoStream()) return { kind: 'no-stream' };
  if (options.hasStreamExists()) return { kind: 'stream-exists' };
  const revision =
    options instanceof BatchAppendReq.Options ? options.getStreamPosition() : options.getRevision();
  return { kind: 'revision', revision: BigInt(revision) };
}

function toFilter(options: ReadReq.Options.FilterOptions | undefined): AllFilter | null {
  if (!options) return null;
  const onStream = options.getStreamIdentifier();
  const expression = onStream ?? options.getEventType();
  if (!expression) throw new ProtocolError(status.INVALID_ARGUMENT, 'filter without an expression');
  return {
    on: onStream ? 'stream' : 'type',
    prefixes: expression.getPrefixList(),
    regex: expression.getRegex(),
  };
}

function toPosition(position: ReadReq.Options.Position | undefined): AllPosition {
  if (!position) throw new ProtocolError(status.INVALID_ARGUMENT, 'missing position');
  return {
    commit: BigInt(position.getCommitPosition()),
    prepare: BigInt(position.getPreparePosition()),
  };
}

function streamName(stream: StreamIdentifier | undefined): string {
  if (!stream) throw new ProtocolError(status.INVALID_ARGUMENT, 'missing stream identifier');
  return Buffer.from(stream.getStreamName_asU8()).toString('utf8');
}

function identifier(streamId: string): StreamIdentifier {
  const result = new StreamIdentifier();
  result.setStreamName(Buffer.from(streamId, 'utf8'));
  return result;
}

function uuidString(uuid: UUID | undefined): string {
  if (!uuid) throw new ProtocolError(status.INVALID_ARGUMENT, 'missing UUID');
  if (uuid.hasString()) {
    const value = uuid.getString().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
      throw new ProtocolError(status.INVALID_ARGUMENT, `'${value}' is not a valid Guid`);
    }
    return value;
  }
  const structured = uuid.getStructured();
  if (!structured) throw new ProtocolError(status.INVALID_ARGUMENT, 'empty UUID');
  const hex = (value: string) => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
  const digits =
    hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}

function uuidMessage(id: string, structured: boolean): UUID {
  const result = new UUID();
  if (!structured) return result.setString(id);
  const digits = id.replace(/-/g, '');
  const signed = (hex: string) => BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
  const value = new UUID.Structured();
  value.setMostSignificantBits(signed(digits.slice(0, 16)));
  value.setLeastSignificantBits(signed(digits.slice(16)));
  return result.setStructured(value);
}

function streamDeleted(streamId: string): ProtocolError {
  const metadata = new Metadata();
  metadata.set('exception', 'stream-deleted');
  metadata.set('stream-name', streamId);
  return new ProtocolError(
    status.FAILED_PRECONDITION,
    `Event stream '${streamId}' is deleted.`,
    metadata,
  );
}

function wrongExpectedVersionError(
  streamId: string,
  expected: ExpectedState,
  current: bigint,
): ProtocolError {
  const metadata = new Metadata();
  metadata.set('exception', 'wrong-expected-version');
  metadata.set('stream-name', streamId);
  metadata.set(
    'expected-version',
    expected.kind === 'revision' ? expected.revision.toString() : '-2',
  );
  metadata.set('actual-version', current.toString());
  return new ProtocolError(
    status.FAILED_PRECONDITION,
    `Tombstone failed due to WrongExpectedVersion. Stream: ${streamId}, Actual version: ${current}`,
    metadata,
  );
}

function asServiceError(error: unknown) {
  if (error instanceof ProtocolError) return error.toServiceError();
  return {
    code: status.UNKNOWN,
    details: error instanceof Error ? error.message : String(error),
    metadata: new Metadata(),
  };
}
