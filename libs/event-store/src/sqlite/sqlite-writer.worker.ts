/**
 * Entry of the SQLite store's writer thread (started by writer-thread.ts). Commands are handled
 * one at a time, in arrival order; a reply leaves only after its transaction committed, so
 * nothing is acknowledged that an fsync has not made durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asStoreError, SqliteEventWriter } from './sqlite-event-writer';
import {
  encodeBatch,
  encodeError,
  type EncodedError,
  type WriterCommand,
  type WriterReply,
  type WriterWorkerData,
} from './writer-protocol';

const port = parentPort;
if (!port) throw new Error('sqlite-writer.worker must run in a worker thread');
const { settings } = workerData as WriterWorkerData;

/** an open that failed (SQLITE_CANTOPEN…) answers every command, the store stays readable */
let writer: SqliteEventWriter | EncodedError;
try {
  writer = new SqliteEventWriter(settings.file, settings.busyTimeoutMs);
} catch (error) {
  writer = encodeError(asStoreError(error));
}

function handle(command: WriterCommand, open: SqliteEventWriter): unknown {
  switch (command.type) {
    case 'append':
      return encodeBatch(open.writeBatch(command.requests));
    case 'pragma':
      return open.pragma(command.source);
    case 'deleteStream':
      return open.deleteStream(command.streamId, command.expectedVersion);
    case 'close':
      return open.close();
    default: {
      const unknownCommand: never = command;
      throw new Error(`unknown writer command ${JSON.stringify(unknownCommand)}`);
    }
  }
}

port.on('message', (command: WriterCommand) => {
  let reply: WriterReply;
  if (!(writer instanceof SqliteEventWriter)) {
    reply =
      command.type === 'close'
        ? { id: command.id, ok: true, value: undefined }
        : { id: command.id, ok: false, error: writer };
  } else {
    try {
      reply = { id: command.id, ok: true, value: handle(command, writer) };
    } catch (error) {
      reply = { id: command.id, ok: false, error: encodeError(error) };
    }
  }
  port.postMessage(reply);
});
