/**
 * JSON over HTTP to the plan server, with the session's credentials. Errors keep the server's
 * `{statusCode, error, message}` so views can say what went wrong.
 */
import { authHeaders, type Session } from '../session/session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** true when no route matched at all (as opposed to an unknown plan or item) */
    readonly routeMissing: boolean,
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface Api {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** a multipart form (file uploads), answered with JSON */
  upload<T>(path: string, form: FormData): Promise<T>;
}

export function createApi(session: Session): Api {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> => {
    const form = body instanceof FormData;
    const response = await fetch(path, {
      method,
      signal,
      headers: {
        accept: 'application/json',
        ...authHeaders(session),
        // the browser sets a form's content type itself, with its boundary
        ...(body === undefined || form ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const message = errorMessage(parsed) ?? `${response.status} ${response.statusText}`;
      // Nest's router answers an unknown route with "Cannot GET /path"
      const routeMissing = response.status === 404 && /^Cannot (GET|POST|PATCH)/.test(message);
      throw new ApiError(response.status, message, routeMissing);
    }
    return parsed as T;
  };
  return {
    get: (path, signal) => call('GET', path, undefined, signal),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    upload: (path, form) => call('POST', path, form),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}
