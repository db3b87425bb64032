export * from './auth.module';
export * from './auth.decorators';
export * from './auth-requirement';
export * from './plan-access.guard';
