/**
 * Plans as a whole: create, list, read, change its own fields (calendar, status date…), members,
 * and the audit views over the raw log (state at a version or time, events, hash-chain
 * verification).
 */
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  membershipDecider,
  newMembershipEvent,
  PlanMembership,
  type MembershipCommand,
  type MembershipState,
  type Principal,
} from '@lib/auth';
import { Authenticated, CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands, PlanHistory, planStreamId } from '@lib/collab';
import { FoldedStates, handleCommand, type EventStore, type RecordedEvent } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { validatePlan } from '@lib/plan-domain';
import { Projections } from '@lib/projections';
import { ArchivePlanDto, ListPlansQueryDto } from './dto/archive-plan.dto';
import { RecordsRead } from '../audit/read-audit';
import { CreatePlanDto } from './dto/create-plan.dto';
import { UpdatePlanDto } from './dto/update-plan.dto';
import { GrantMemberDto } from './dto/grant-member.dto';
import { EventsQueryDto, StateQueryDto } from './dto/history-query.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  /** decider states folded so far, by plan stream: a command reads only newer events */
  private readonly folded = new FoldedStates<MembershipState>();

  constructor(
    private readonly commands: PlanCommands,
    private readonly history: PlanHistory,
    private readonly membership: PlanMembership,
    private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a plan; the caller becomes its owner' })
  async create(@Body() dto: CreatePlanDto, @CurrentPrincipal() principal: Principal) {
    const planId = dto.id ?? randomUUID();
    const metadata = { actor: principal.userId, at: new Date().toISOString() };
    const version = await this.commands.create(
      planId,
      [
        newMembershipEvent(
          { type: 'PlanCreated', data: { planId, title: dto.title, ownerId: principal.userId } },
          metadata,
        ),
      ],
      metadata,
      (plan) =>
        plan.setMeta({
          title: dto.title,
          description: dto.description,
          start: dto.start,
          currency: dto.currency,
          budget: dto.budget,
          owner: principal.userId,
          status: 'draft',
          // plans made before calendars existed have no calendarMode and keep calendar days
          calendarMode: dto.calendarMode ?? 'working-days',
          calendar: dto.calendar === undefined ? undefined : { ...dto.calendar },
        }),
    );
    const { plan } = await this.commands.read(planId);
    return { id: planId, version, ...plan.meta };
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'Plans the caller has a role on, with their current title and status; archived ones only with ?archived=true',
  })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListPlansQueryDto) {
    const archived = query.archived === 'true';
    const memberships = (await this.membership.plansOf(principal.userId)).filter(
      (m) => m.archived === archived,
    );
    // the summary read model may lag a just-created plan: membership is the list, the summary adds detail
    const summaries = new Map(
      (
        await this.projections.planSummary.plans({
          planIds: memberships.map((m) => m.planId),
          includeArchived: true,
        })
      ).map((p) => [p.id, p]),
    );
    return memberships.map((m) => {
      const summary = summaries.get(m.planId);
      return {
        ...m,
        title: summary?.title ?? m.title,
        status: summary?.status,
        updatedAt: summary?.updatedAt ?? m.createdAt,
        version: summary?.version,
      };
    });
  }

  @Patch(':id')
  @PlanRole('edit')
  @ApiOperation({
    summary:
      "Change the plan's own fields (title, start, calendar, calendarMode, statusDate, …); null clears an optional one",
  })
  async update(
    @Param('id') planId: string,
    @Body() patch: UpdatePlanDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { result, version } = await this.commands.execute(planId, principal.userId, (plan) =>
      plan.setMeta({ ...patch }),
    );
    return { ...result, version };
  }

  @Get(':id')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'The current plan as plain JSON, with its stream version and the global position of that ' +
      'version (subscribe to the feed from `position` to follow it without a gap)',
  })
  async get(@Param('id') planId: string) {
    const { plan, version } = await this.commands.read(planId);
    const [latest] = await this.store.readStream(planStreamId(planId), {
      fromVersion: version,
      maxCount: 1,
    });
    return { id: planId, version, position: latest?.position ?? 0, ...plan };
  }

  @Get(':id/problems')
  @PlanRole('read')
  @ApiOperation({
    summary:
      'What is wrong with the plan as merged: dependency cycles, links to deleted items, values out of range… ' +
      'with the ids of the items involved. Reported, never repaired.',
  })
  async problems(@Param('id') planId: string) {
    const { plan, version } = await this.commands.read(planId);
    return { planId, version, problems: validatePlan(plan) };
  }

  @Get(':id/members')
  @PlanRole('read')
  async members(@Param('id') planId: string) {
    return (await this.membership.membersOf(planId)) ?? [];
  }

  @Post(':id/members')
  @PlanRole('manage')
  @ApiOperation({
    summary: 'Grant (or change) a member role; takes effect on open connections at once',
  })
  async grant(
    @Param('id') planId: string,
    @Body() dto: GrantMemberDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { version } = await this.membershipCommand({
      type: 'GrantMember',
      planId,
      userId: dto.userId,
      role: dto.role,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { planId, userId: dto.userId, role: dto.role, version };
  }

  @Delete(':id/members/:userId')
  @PlanRole('manage')
  @HttpCode(200)
  async revoke(
    @Param('id') planId: string,
    @Param('userId') userId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { version } = await this.membershipCommand({
      type: 'RevokeMember',
      planId,
      userId,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { planId, userId, role: null, version };
  }

  @Post(':id/archive')
  @PlanRole('manage')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Archive the plan: read-only for everyone (websocket, REST, comments) and listed apart until restored',
  })
  async archive(
    @Param('id') planId: string,
    @Body() dto: ArchivePlanDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { version } = await this.membershipCommand({
      type: 'ArchivePlan',
      planId,
      reason: dto.reason,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { planId, archived: true, version };
  }

  @Post(':id/restore')
  @PlanRole('manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an archived plan: writable again for its editors' })
  async restore(@Param('id') planId: string, @CurrentPrincipal() principal: Principal) {
    const { version } = await this.membershipCommand({
      type: 'RestorePlan',
      planId,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { planId, archived: false, version };
  }

  /**
   * Decided on the plan stream as it is and appended at the version read; the access check
   * that let the caller in sees the change once the membership view has caught up.
   */
  private async membershipCommand(command: MembershipCommand) {
    const handled = await handleCommand(
      this.store,
      planStreamId(command.planId),
      membershipDecider,
      command,
      { cache: this.folded },
    );
    if (handled.appended) await this.membership.catchUp();
    return handled;
  }

  @Get(':id/state')
  @PlanRole('audit')
  @RecordsRead('state')
  @ApiOperation({
    summary: 'The plan as it was at a stream version (?version=N) or a time (?at=ISO)',
  })
  async state(@Param('id') planId: string, @Query() query: StateQueryDto) {
    if ((query.version === undefined) === (query.at === undefined)) {
      throw new BadRequestException('give exactly one of version or at');
    }
    const point = query.version !== undefined ? { version: query.version } : { at: query.at! };
    const state = await this.history.stateAt(planId, point);
    if (!state) throw new BadRequestException(`plan ${planId} did not exist at ${query.at}`);
    return { id: planId, version: state.version, at: state.at, ...state.plan };
  }

  @Get(':id/events')
  @PlanRole('audit')
  @RecordsRead('events')
  @ApiOperation({ summary: 'The raw events of the plan stream, paged, with metadata and hashes' })
  async events(@Param('id') planId: string, @Query() query: EventsQueryDto) {
    const limit = query.limit ?? 100;
    const events = await this.store.readStream(planStreamId(planId), {
      fromVersion: query.fromVersion ?? 0,
      maxCount: limit,
    });
    const last = events[events.length - 1];
    return {
      events: events.map((e) => eventView(e, query.binary ?? 'base64')),
      nextFromVersion: events.length === limit && last ? last.version + 1 : null,
    };
  }

  @Get(':id/verify')
  @PlanRole('audit')
  @RecordsRead('verify')
  @ApiOperation({ summary: 'Recompute the hash chain; names the first broken event' })
  async verify(@Param('id') planId: string) {
    return this.store.verifyStream(planStreamId(planId));
  }
}

function eventView(event: RecordedEvent, binary: 'base64' | 'none') {
  const isBinary = event.data instanceof Uint8Array;
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    position: event.position,
    schemaVersion: event.schemaVersion,
    metadata: event.metadata,
    data: isBinary
      ? binary === 'base64'
        ? Buffer.from(event.data as Uint8Array).toString('base64')
        : null
      : event.data,
    dataEncoding: isBinary ? (binary === 'base64' ? 'base64' : 'omitted') : 'json',
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
