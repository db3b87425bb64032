import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@lib/auth/nest';
import { ServerMetrics } from './server-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ServerMetrics) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
