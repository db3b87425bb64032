import { Module } from '@nestjs/common';
import { PLAN_ENTITY_CONTROLLERS } from './plan-entity.controllers';
import { PlansController } from './plans.controller';

@Module({ controllers: [PlansController, ...PLAN_ENTITY_CONTROLLERS] })
export class PlansModule {}
