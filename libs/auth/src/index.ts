// Nest-free core; the Nest module, guard and decorators are in '@lib/auth/nest'.
export * from './auth-errors';
export * from './auth-log';
export * from './access/credentials';
export * from './access/plan-access';
export * from './membership/membership-decider';
export * from './membership/membership-view';
export * from './membership/plan-membership';
export * from './roles/membership-events';
export * from './roles/role';
export * from './tokens/jwt-secret';
export * from './tokens/principal';
export * from './tokens/token-lifetime';
export * from './tokens/token.service';
export * from './tokens/calendar-feed-token';
