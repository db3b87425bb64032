/**
 * A minimal server-sent-events reader over fetch, for tests: parses `id`, `event` and `data`
 * fields and hands each complete event over; `close()` aborts the request.
 */
export interface StreamEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

export interface EventStreamReader {
  readonly status: Promise<number>;
  readonly events: StreamEvent[];
  close(): void;
}

export function readEventStream(
  url: string,
  headers: Record<string, string> = {},
): EventStreamReader {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  const status = fetch(url, { headers, signal: controller.signal }).then((response) => {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || line === '') continue;
              const at = line.indexOf(':');
              const name = at < 0 ? line : line.slice(0, at);
              const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
              fields[name] = fields[name] === undefined ? value : `${fields[name]}\n${value}`;
            }
            if (fields.data !== undefined)
              events.push({ id: fields.id, event: fields.event ?? 'message', data: fields.data });
          }
        }
      } catch {
        // aborted by close()
      }
    })();
    return response.status;
  });
  return { status, events, close: () => controller.abort() };
}
