/**
 * Reading an uploaded plan file, multipart (`file` field) or as the raw request body, never
 * keeping more than `MAX_IMPORT_BYTES`: a declared Content-Length over the limit is refused
 * without keeping a byte, and a body that grows past it (chunked, or lying about its length)
 * stops being kept there. The rest of an oversized upload is read and thrown away before the
 * 413 goes out — a client still sending when the server answers and closes often sees only a
 * reset, never the 413 — unless it passes `DISCARD_CAP_BYTES`, when the connection is cut.
 */
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

export interface PlanUpload {
  readonly content: Buffer;
  readonly fileName?: string;
  readonly contentType?: string;
  /** multipart form fields (format, title, start, id) */
  readonly fields: Readonly<Record<string, string>>;
}

export class UploadTooLargeError extends Error {
  readonly code = 'IMPORT_TOO_LARGE';
  constructor(readonly maxImportBytes: number) {
    super(`the uploaded file is larger than MAX_IMPORT_BYTES (${maxImportBytes} bytes)`);
    this.name = 'UploadTooLargeError';
  }
}

export class UploadMalformedError extends Error {
  readonly code = 'IMPORT_MALFORMED_UPLOAD';
  constructor(message: string) {
    super(message);
    this.name = 'UploadMalformedError';
  }
}

export const isUploadTooLarge = (e: unknown): e is UploadTooLargeError =>
  e instanceof UploadTooLargeError;
export const isUploadMalformed = (e: unknown): e is UploadMalformedError =>
  e instanceof UploadMalformedError;

/** Room for the multipart boundaries and headers around a file of the maximum size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Beyond this much thrown-away upload, the connection is cut instead of read to its end. */
const DISCARD_CAP_BYTES = 1024 * 1024 * 1024;

export async function readPlanUpload(
  request: Request,
  response: Response,
  maxBytes: number,
): Promise<PlanUpload> {
  const multipart = /^multipart\/form-data/i.test(request.headers['content-type'] ?? '');
  const declared = Number(request.headers['content-length']);
  if (
    Number.isFinite(declared) &&
    declared > maxBytes + (multipart ? MULTIPART_OVERHEAD_BYTES : 0)
  ) {
    // an absurd declared size is not worth reading: answer, and cut the connection after it
    if (declared > DISCARD_CAP_BYTES) response.setHeader('Connection', 'close');
    else await discardRest(request, 0);
    throw new UploadTooLargeError(maxBytes);
  }
  return multipart ? readMultipart(request, response, maxBytes) : readRaw(request, maxBytes);
}

/** Reads the request to its end, keeping nothing; cuts the connection past DISCARD_CAP_BYTES. */
function discardRest(request: Request, alreadyRead: number): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = alreadyRead;
    const done = (): void => {
      request.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > DISCARD_CAP_BYTES) {
        request.destroy();
        done();
      }
    };
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
    request.resume();
  });
}

function readRaw(request: Request, maxBytes: number): Promise<PlanUpload> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        chunks.length = 0;
        void discardRest(request, size).then(() => reject(new UploadTooLargeError(maxBytes)));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('error', reject);
    request.once('end', () => {
      if (size > maxBytes) return;
      const disposition = request.headers['content-disposition'];
      const fileName =
        (typeof disposition === 'string'
          ? /filename="?([^";]+)"?/i.exec(disposition)?.[1]
          : undefined) ?? headerText(request.headers['x-file-name']);
      resolve({
        content: Buffer.concat(chunks),
        fileName,
        contentType: request.headers['content-type'],
        fields: {},
      });
    });
  });
}

function readMultipart(
  request: Request,
  response: Response,
  maxBytes: number,
): Promise<PlanUpload> {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
  }).single('file');
  return new Promise((resolve, reject) => {
    upload(request, response, (error: unknown) => {
      if (error instanceof MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE')
          return void discardRest(request, 0).then(() => reject(new UploadTooLargeError(maxBytes)));
        return reject(
          new UploadMalformedError(
            `multipart upload refused: ${error.message}${error.field ? ` (${error.field})` : ''}`,
          ),
        );
      }
      if (error)
        return reject(
          new UploadMalformedError(`multipart upload unreadable: ${(error as Error).message}`),
        );
      const file = (request as Request & { file?: Express.Multer.File }).file;
      if (!file)
        return reject(
          new UploadMalformedError('the multipart upload needs the plan in a field named "file"'),
        );
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries((request.body ?? {}) as Record<string, unknown>))
        if (typeof value === 'string') fields[key] = value;
      resolve({
        content: file.buffer,
        fileName: file.originalname,
        contentType: file.mimetype,
        fields,
      });
    });
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
