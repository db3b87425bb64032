import { Module } from '@nestjs/common';
import { ObjectivesController } from './objectives.controller';

@Module({ controllers: [ObjectivesController] })
export class ObjectivesModule {}
