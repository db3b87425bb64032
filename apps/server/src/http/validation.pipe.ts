/**
 * DTO validation for every route; each message names its field. Unknown body fields are
 * refused (a typo must not be silently dropped from a write); unknown query parameters are
 * ignored, because some belong to other layers (`user` with AUTH=off, cache busters).
 */
import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
  type ValidationError,
} from '@nestjs/common';

function flatten(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((m) =>
      m.startsWith(error.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

const validation = (forbidUnknown: boolean): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({ error: 'Bad Request', message: flatten(errors) }),
  });

class RequestValidationPipe implements PipeTransform {
  private readonly strict = validation(true);
  private readonly lenient = validation(false);

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return (metadata.type === 'query' ? this.lenient : this.strict).transform(value, metadata);
  }
}

export function createValidationPipe(): PipeTransform {
  return new RequestValidationPipe();
}
