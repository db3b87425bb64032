/**
 * Real clients for e2e tests: signed tokens, a small JSON HTTP client, and y-websocket
 * providers (with the durable-ack helper) that are cleaned up with their awareness.
 */
import jwt from 'jsonwebtoken';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  ackCountingWebSocket,
  MESSAGE_AUTH,
  trackDurableAcks,
  type DurableAcks,
} from '@lib/collab';
import { TEST_JWT_SECRET } from './server-process';

export function tokenFor(
  sub: string,
  options: { name?: string; expiresIn?: number; secret?: string } = {},
): string {
  return jwt.sign(
    { sub, ...(options.name ? { name: options.name } : {}) },
    options.secret ?? TEST_JWT_SECRET,
    {
      algorithm: 'HS256',
      expiresIn: options.expiresIn ?? 3600,
    },
  );
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export function apiClient(baseUrl: string, token?: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body?: unknown) =>
      call<T>('POST', path, body ?? {}),
    patch: <T = Record<string, unknown>>(path: string, body: unknown) =>
      call<T>('PATCH', path, body),
    put: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PUT', path, body),
    delete: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
  };
}

export interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly acks: DurableAcks;
  /** close code and reason of the last close event */
  readonly closes: Array<{ code: number; reason: string }>;
  readonly permissionDenied: string[];
}

/** Tracks every provider made, so a test's afterEach can destroy them (awareness included). */
export class ClientPool {
  private readonly clients: Client[] = [];

  connect(wsUrl: string, planId: string, params: Record<string, string>): Client {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(wsUrl, planId, doc, {
      WebSocketPolyfill: ackCountingWebSocket(WebSocket as unknown as typeof globalThis.WebSocket),
      disableBc: true,
      params,
      maxBackoffTime: 300,
    });
    const closes: Array<{ code: number; reason: string }> = [];
    const permissionDenied: string[] = [];
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (event) closes.push({ code: event.code, reason: String(event.reason) });
    });
    // the standard handler only logs a permission-denied auth message; tests want to see it
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder);
      permissionDenied.push(decoding.readVarString(decoder));
    };
    const client = { doc, provider, acks: trackDurableAcks(provider), closes, permissionDenied };
    this.clients.push(client);
    return client;
  }

  destroyAll(): void {
    for (const { provider, doc } of this.clients.splice(0)) {
      provider.awareness.destroy();
      provider.destroy();
      doc.destroy();
    }
  }
}

export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
