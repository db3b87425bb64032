/**
 * Feedback threads on a plan's items. Members who may comment (owner, editor, stakeholder)
 * post, the author edits, anyone who may comment resolves a thread; everyone who may read sees
 * the threads. Each write is one event in the plan stream, decided by the plan-records decider
 * on the stream as it is and appended at the version it read.
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { PersonalData } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import {
  FoldedStates,
  handleCommand,
  type EventStore,
  type HandledCommand,
  type NewEvent,
} from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import {
  COLLECTIONS,
  COMMENT_EDITED,
  COMMENT_POSTED,
  ENTITY_TYPE_OF,
  InvalidCommentError,
  PLAN_META_REF,
  type EntityRef,
  type PlanJson,
} from '@lib/plan-domain';
import {
  planRecordsDecider,
  planStreamId,
  Projections,
  type PlanRecordCommand,
  type PlanRecordsState,
} from '@lib/projections';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { CommentsQueryDto, EditCommentDto, PostCommentDto } from './comment.dto';

@ApiTags('comments')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id/comments')
export class CommentsController {
  /** decider states folded so far, by plan stream: a command reads only newer events */
  private readonly folded = new FoldedStates<PlanRecordsState>();

  constructor(
    private readonly commands: PlanCommands,
    @Inject(Projections) private readonly projections: Projections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PersonalData) private readonly personalData: PersonalData,
  ) {}

  @Get()
  @PlanRole('read')
  @ApiOperation({
    summary:
      'Comment threads, oldest first; `?target=task:t1` for one item, `?state=open` for unresolved ones',
  })
  async threads(@Param('id') planId: string, @Query() query: CommentsQueryDto) {
    await waitUntilFresh(this.projections, ['comments'], planId, query);
    const target = query.target === undefined ? undefined : parseTarget(query.target);
    return this.projections.comments.threads(planId, { target, state: query.state });
  }

  @Post()
  @PlanRole('comment')
  @ApiOperation({
    summary:
      'Comment on the plan or one of its items, or reply to a comment; @mentions notify those users',
  })
  async post(
    @Param('id') planId: string,
    @Body() dto: PostCommentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const target: EntityRef =
      dto.target.type === 'plan'
        ? PLAN_META_REF
        : { type: dto.target.type, id: dto.target.id ?? '' };
    const metadata = { actor: principal.userId, at: new Date().toISOString() };
    const comment = {
      commentId: randomUUID(),
      target,
      parentId: dto.parentId,
      text: dto.text,
      author: principal.userId,
    };
    const handled = await this.decide(planId, async () => ({
      type: 'PostComment' as const,
      planId,
      comment,
      targetExists: hasItem((await this.commands.read(planId)).plan, target),
      metadata,
    }));
    return { ...handled.state.comments.get(comment.commentId)!, ...stored(handled) };
  }

  @Patch(':commentId')
  @PlanRole('comment')
  @ApiOperation({
    summary: "Change a comment's text (its author only); earlier texts are kept in `revisions`",
  })
  async edit(
    @Param('id') planId: string,
    @Param('commentId') commentId: string,
    @Body() dto: EditCommentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const handled = await this.decide(planId, {
      type: 'EditComment',
      planId,
      commentId,
      text: dto.text,
      editor: principal.userId,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { ...handled.state.comments.get(commentId)!, ...stored(handled) };
  }

  @Post(':commentId/resolve')
  @HttpCode(200)
  @PlanRole('comment')
  @ApiOperation({
    summary: "Resolve a thread (give its first comment's id); resolving it again changes nothing",
  })
  async resolve(
    @Param('id') planId: string,
    @Param('commentId') commentId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const handled = await this.decide(planId, {
      type: 'ResolveComment',
      planId,
      commentId,
      metadata: { actor: principal.userId, at: new Date().toISOString() },
    });
    return { ...handled.state.comments.get(commentId)!, ...stored(handled) };
  }

  /** decided on the plan stream as it is, appended at the version read (retried on conflict) */
  private decide(
    planId: string,
    command: PlanRecordCommand | (() => Promise<PlanRecordCommand>),
  ): Promise<HandledCommand<PlanRecordsState>> {
    return handleCommand(this.store, planStreamId(planId), planRecordsDecider, command, {
      cache: this.folded,
      encode: (events) => Promise.all(events.map((event) => this.sealText(event))),
    });
  }

  /** decided on the clear text (length, mentions), a comment's text is stored sealed with its author's key */
  private async sealText(event: NewEvent): Promise<NewEvent> {
    if (event.type !== COMMENT_POSTED && event.type !== COMMENT_EDITED) return event;
    const data = event.data as { text: string };
    const author = event.metadata.actor;
    return { ...event, data: { ...data, text: await this.personalData.seal(author, data.text) } };
  }
}

/** where the write landed; both null when the command changed nothing */
function stored(handled: HandledCommand<unknown>): {
  version: number | null;
  position: number | null;
} {
  const event = handled.appended?.events[0];
  return event
    ? { version: event.version, position: event.position }
    : { version: null, position: null };
}

function hasItem(plan: PlanJson, target: EntityRef): boolean {
  if (target.type === 'plan') return true;
  const collection = COLLECTIONS.find((c) => ENTITY_TYPE_OF[c] === target.type);
  return (
    collection !== undefined &&
    (plan[collection] as readonly { id: string }[]).some((item) => item.id === target.id)
  );
}

function parseTarget(text: string): EntityRef {
  if (text === 'plan') return PLAN_META_REF;
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  if (type === 'plan') return PLAN_META_REF;
  if (!COLLECTIONS.some((c) => ENTITY_TYPE_OF[c] === type))
    throw new InvalidCommentError('target', `has unknown type ${JSON.stringify(type)}`);
  return { type: type as EntityRef['type'], id: text.slice(colon + 1) };
}
