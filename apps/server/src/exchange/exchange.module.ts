import { Module } from '@nestjs/common';
import { DemoPlanLoader } from './demo-plan.loader';
import { ExchangeController } from './exchange.controller';

@Module({ controllers: [ExchangeController], providers: [DemoPlanLoader] })
export class ExchangeModule {}
