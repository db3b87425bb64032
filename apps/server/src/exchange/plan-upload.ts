/**
 * Reading an uploaded plan file, multipart (`file` field) or as the raw request body, never
 * past `MAX_IMPORT_BYTES`: a declared Content-Length over the limit is refused before a byte is
 * read, and a body that grows past it (chunked, or lying about its length) is cut off there.
 * Either way the connection is closed after the 413, so the rest of the upload is not read.
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

export async function readPlanUpload(
  request: Request,
  response: Response,
  maxBytes: number,
): Promise<PlanUpload> {
  const multipart = /^multipart\/form-data/i.test(request.headers['content-type'] ?? '');
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + (multipart ? MULTIPART_OVERHEAD_BYTES : 0))
    throw tooLarge(response, maxBytes);
  return multipart
    ? readMultipart(request, response, maxBytes)
    : readRaw(request, response, maxBytes);
}

function tooLarge(response: Response, maxBytes: number): UploadTooLargeError {
  // the client may still be sending; closing is cheaper than reading what will be thrown away
  response.setHeader('Connection', 'close');
  return new UploadTooLargeError(maxBytes);
}

function readRaw(request: Request, response: Response, maxBytes: number): Promise<PlanUpload> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.pause();
        reject(tooLarge(response, maxBytes));
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
        if (error.code === 'LIMIT_FILE_SIZE') return reject(tooLarge(response, maxBytes));
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
