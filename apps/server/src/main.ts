/** Server entry point: validate the environment, then serve HTTP and websockets on one port. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { isConfigError, loadConfig, type AppConfig } from '@lib/config';
import { AppModule } from './app.module';

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
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  app.get(Logger).log(`listening on http://${config.host}:${config.port} (store: ${config.eventStore}, data: ${config.dataDir})`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
