/** Server entry point: validate the environment, then serve HTTP and websockets on one port. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, Server } from 'node:http';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { isConfigError, loadConfig, type AppConfig } from '@lib/config';
import { AppModule } from './app.module';
import { FeedIoAdapter } from './feed/redis-io.adapter';
import { ErrorResponseFilter } from './http/error-response.filter';
import { REQUEST_LOG } from './http/request-log';
import { applyHttpSecurity } from './http/security-headers';
import { createValidationPipe } from './http/validation.pipe';
import { serveWebUi } from './web/web-ui';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(2);
  }
}

/**
 * A client that sends its request slowly (or never finishes its headers) is answered 408 and
 * disconnected instead of holding a socket forever. Node checks the timeouts every
 * `connectionsCheckingInterval` (30 s by default, read when the server starts listening), so
 * the check runs often enough for the configured values to mean what they say.
 */
function applyRequestTimeouts(server: Server, config: AppConfig): void {
  server.requestTimeout = config.httpRequestTimeoutMs;
  server.headersTimeout = config.httpHeadersTimeoutMs;
  // not in @types/node's Server, but a public option (http.createServer({connectionsCheckingInterval}))
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(1000, config.httpHeadersTimeoutMs);
}

const isPlanImport = (req: IncomingMessage): boolean =>
  req.method === 'POST' && /^\/plans\/import\/?(\?|$)/.test(req.url ?? '');

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(app.get<HttpLogger>(REQUEST_LOG));
  app.useWebSocketAdapter(
    await FeedIoAdapter.create(app, config, (error) =>
      app.get(Logger).warn({ err: error }, 'redis error in the feed adapter'),
    ),
  );
  applyHttpSecurity(app, config);
  applyRequestTimeouts(app.getHttpServer() as Server, config);
  // an imported plan file is read by its route, up to MAX_IMPORT_BYTES, whatever its type
  app.useBodyParser('json', {
    limit: config.maxBodyBytes,
    type: (req: IncomingMessage) =>
      !isPlanImport(req) &&
      /^application\/([\w.-]+\+)?json\b/i.test(req.headers['content-type'] ?? ''),
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorResponseFilter());
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('Plan collaboration server')
    .setDescription('Event-sourced real-time co-editing of implementation plans')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  if (!serveWebUi(app))
    app
      .get(Logger)
      .warn('dist/web is missing: "npm run build" builds the browser editor served at /');
  await app.listen(config.port, config.host);
  app
    .get(Logger)
    .log(
      `listening on http://${config.host}:${config.port} (store: ${config.eventStore}, data: ${config.dataDir})`,
    );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
