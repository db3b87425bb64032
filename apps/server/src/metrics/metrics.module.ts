/** `GET /metrics` (Prometheus) over the one ServerMetrics instance the app was built with. */
import { DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { ServerMetrics } from './server-metrics';

@Global()
@Module({})
export class MetricsModule {
  static forRoot(metrics: ServerMetrics): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: ServerMetrics, useValue: metrics }],
      exports: [ServerMetrics],
    };
  }
}
