/** Server entry point: validate the environment, then serve HTTP and websockets on one port. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { isConfigError, loadConfig, type AppConfig } from '@lib/config';
import { AppModule } from './app.module';
import { ErrorResponseFilter } from './http/error-response.filter';
import { createValidationPipe } from './http/validation.pipe';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!isConfigError(error)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(2);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorResponseFilter());
  app.enableShutdownHooks();
  const openApi = new DocumentBuilder()
    .setTitle('Plan collaboration server')
    .setDescription('Event-sourced real-time co-editing of implementation plans')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  await app.listen(config.port, config.host);
  app.get(Logger).log(`listening on http://${config.host}:${config.port} (store: ${config.eventStore}, data: ${config.dataDir})`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
