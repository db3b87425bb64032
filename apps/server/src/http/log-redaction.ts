/**
 * What request logs must never contain. Headers and the parsed query are redacted by path
 * (pino `redact`); the raw URL is logged too, so secrets in its query string are masked here.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.token',
  'req.query.access_token',
];

const SECRET_PARAM =
  /^(token|access_token|id_token|refresh_token|secret|password|api_key|apikey|key)$/i;

/** `/plans/x?token=eyJ…&a=1` → `/plans/x?token=[Redacted]&a=1` */
export function redactUrlSecrets(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // an undecodable name is logged as sent
      }
      return SECRET_PARAM.test(decoded) && pair.includes('=') ? `${name}=[Redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

/** pino-http request serializer wrapper: gets the standard serialized request */
export function redactRequestUrl<T extends { url?: string }>(request: T): T {
  if (typeof request.url === 'string') request.url = redactUrlSecrets(request.url);
  return request;
}
