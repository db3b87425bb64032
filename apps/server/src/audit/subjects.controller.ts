/**
 * Erasure of a data subject (a person): their key is destroyed, so everything sealed for them
 * (names, channels, comment texts) reads `[erased]` in every API, report, read model and past
 * state, while the log and its hash chain stay untouched. Each erasure is itself recorded as a
 * `SubjectErased` event in the `erasures` stream.
 */
import { Controller, ForbiddenException, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { PersonalData } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { Admin, CurrentPrincipal } from '@lib/auth/nest';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';

export const ERASURES_STREAM = 'erasures';
export const SUBJECT_ERASED = 'SubjectErased';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('subjects')
export class SubjectsController {
  constructor(
    private readonly personalData: PersonalData,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post(':subjectId/erase')
  @HttpCode(200)
  @Admin()
  @ApiOperation({
    summary:
      'Erase a person’s personal data (admins: ADMIN_USERS): destroys their key; their sealed data then reads [erased] everywhere while verify still passes',
  })
  async erase(@Param('subjectId') subjectId: string, @CurrentPrincipal() principal: Principal) {
    if (this.config.auth === 'on' && !this.config.adminUsers.includes(principal.userId))
      throw new ForbiddenException(
        `user ${principal.userId} is not an administrator (ADMIN_USERS)`,
      );
    const erasure = await this.personalData.erase(subjectId, principal.userId);
    if (!erasure.alreadyErased)
      await this.store.appendToStream(ERASURES_STREAM, [
        {
          id: randomUUID(),
          type: SUBJECT_ERASED,
          data: { subjectId, mode: this.personalData.mode },
          metadata: { actor: principal.userId, at: erasure.erasedAt },
        },
      ]);
    return erasure;
  }
}
