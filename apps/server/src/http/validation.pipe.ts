/** DTO validation for every route: unknown fields are refused, each message names its field. */
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(error.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException({ error: 'Bad Request', message: flatten(errors) }),
  });
}
