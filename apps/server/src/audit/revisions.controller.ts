/**
 * Attribution and rollback over a plan's log: who changed which fields in a window, and one
 * compensating update that undoes a window's changes (one person's, or everyone's) on the
 * current plan, keeping later edits by others.
 */
import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { attribute, planRevert, type EventSelection } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands, planStreamId } from '@lib/collab';
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { RecordsRead } from './read-audit';
import { AttributionQueryDto, RevertDto, toBound } from './revision.dto';

const PAGE = 1000;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('plans/:id')
export class RevisionsController {
  constructor(
    private readonly commands: PlanCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('attribution')
  @PlanRole('audit')
  @RecordsRead('attribution')
  @ApiOperation({
    summary:
      'Who changed which fields: per PlanUpdated event in the window (`from`/`to`: stream version or ISO time, inclusive; `actor`), the field changes and their semantic summary, and per actor the fields touched',
  })
  async attribution(@Param('id') planId: string, @Query() query: AttributionQueryDto) {
    const events = await this.readThrough(
      planId,
      await this.store.streamVersion(planStreamId(planId)),
    );
    const selection: EventSelection = {
      from: toBound(query.from),
      to: toBound(query.to),
      actor: query.actor,
    };
    return { planId, ...selection, ...attribute(events, selection) };
  }

  @Post('revert')
  @PlanRole('edit')
  @ApiOperation({
    summary:
      'Undo the changes made in a window (by `actor`, or by everyone) with one compensating update, appended as one PlanUpdated event whose metadata.revert names what it reverted; later edits by others are kept and listed as conflicts',
  })
  async revert(
    @Param('id') planId: string,
    @Body() dto: RevertDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const selection: EventSelection = {
      from: toBound(dto.from),
      to: toBound(dto.to),
      actor: dto.actor,
    };
    const { result, version } = await this.commands.appendComputed(
      planId,
      principal.userId,
      async (head) => {
        const plan = planRevert(await this.readThrough(planId, head), selection);
        return {
          update: plan.update,
          result: plan,
          metadata: {
            revert: {
              actor: dto.actor ?? null,
              from: selection.from ?? null,
              to: selection.to ?? null,
              versions: plan.reverted.map((r) => r.version),
              conflicts: plan.conflicts.length,
            },
          },
        };
      },
    );
    return {
      planId,
      version: version ?? null,
      reverted: result.reverted,
      changes: result.changes,
      summary: result.summary,
      conflicts: result.conflicts,
    };
  }

  private async readThrough(planId: string, lastVersion: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = 0; from <= lastVersion; from += PAGE) {
      const page = await this.store.readStream(planStreamId(planId), {
        fromVersion: from,
        maxCount: Math.min(PAGE, lastVersion - from + 1),
      });
      events.push(...page);
      if (page.length === 0) break;
    }
    return events;
  }
}
