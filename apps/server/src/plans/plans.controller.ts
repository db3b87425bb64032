/**
 * Plans as a whole: create, list, read, members, and the audit views over the raw log
 * (state at a version or time, events, hash-chain verification).
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
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { newMembershipEvent, PlanMembership, type Principal } from '@lib/auth';
import { Authenticated, CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands, PlanHistory, planStreamId } from '@lib/collab';
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { Projections } from '@lib/projections';
import { RecordsRead } from '../audit/read-audit';
import { CreatePlanDto } from './dto/create-plan.dto';
import { GrantMemberDto } from './dto/grant-member.dto';
import { EventsQueryDto, StateQueryDto } from './dto/history-query.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
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
        }),
    );
    const { plan } = await this.commands.read(planId);
    return { id: planId, version, ...plan.meta };
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Plans the caller has a role on, with their current title and status' })
  async list(@CurrentPrincipal() principal: Principal) {
    const memberships = await this.membership.plansOf(principal.userId);
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
    const result = await this.store.appendToStream(planStreamId(planId), [
      newMembershipEvent(
        { type: 'MemberGranted', data: { userId: dto.userId, role: dto.role } },
        { actor: principal.userId, at: new Date().toISOString() },
      ),
    ]);
    return { planId, userId: dto.userId, role: dto.role, version: result.nextExpectedVersion };
  }

  @Delete(':id/members/:userId')
  @PlanRole('manage')
  @HttpCode(200)
  async revoke(
    @Param('id') planId: string,
    @Param('userId') userId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.store.appendToStream(planStreamId(planId), [
      newMembershipEvent(
        { type: 'MemberRevoked', data: { userId } },
        { actor: principal.userId, at: new Date().toISOString() },
      ),
    ]);
    return { planId, userId, role: null, version: result.nextExpectedVersion };
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
