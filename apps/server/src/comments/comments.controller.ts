/**
 * Feedback threads on a plan's items. Members who may comment (owner, editor, stakeholder)
 * post, the author edits, anyone who may comment resolves a thread; everyone who may read sees
 * the threads. Each write is one event in the plan stream, decided by the comment deciders in
 * plan-domain against the comments read model brought up to the stream's current version.
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
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import {
  COLLECTIONS,
  COMMENT_EDITED,
  COMMENT_POSTED,
  COMMENT_RESOLVED,
  ENTITY_TYPE_OF,
  InvalidCommentError,
  PLAN_META_REF,
  decideEditComment,
  decidePostComment,
  decideResolveComment,
  editedComment,
  postedComment,
  resolvedComment,
  type EntityRef,
  type PlanJson,
} from '@lib/plan-domain';
import { commentEvent, planStreamId, Projections } from '@lib/projections';
import { ReadModelErrorFilter } from '../read-models/read-model-errors.filter';
import { waitUntilFresh } from '../read-models/read-your-writes';
import { CommentsQueryDto, EditCommentDto, PostCommentDto } from './comment.dto';

@ApiTags('comments')
@ApiBearerAuth()
@UseFilters(ReadModelErrorFilter)
@Controller('plans/:id/comments')
export class CommentsController {
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
    const [{ plan }, parent] = await Promise.all([
      this.commands.read(planId),
      dto.parentId === undefined
        ? undefined
        : this.current(planId).then(() => this.projections.comments.comment(planId, dto.parentId!)),
    ]);
    const decided = decidePostComment(
      {
        commentId: randomUUID(),
        target,
        parentId: dto.parentId,
        text: dto.text,
        author: principal.userId,
      },
      { targetExists: hasItem(plan, target), parent },
    );
    // decided on the clear text (length, mentions), stored sealed with the author's key
    const data = { ...decided, text: await this.personalData.seal(principal.userId, decided.text) };
    const facts = { actor: principal.userId, at: new Date().toISOString() };
    const stored = await this.append(planId, commentEvent({ type: COMMENT_POSTED, data }, facts));
    return { ...postedComment(data, parent, facts), ...stored };
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
    await this.current(planId);
    const comment = await this.projections.comments.comment(planId, commentId);
    const decided = decideEditComment(comment, {
      commentId,
      text: dto.text,
      editor: principal.userId,
    });
    const data = decided && {
      ...decided,
      text: await this.personalData.seal(principal.userId, decided.text),
    };
    if (!data) return { ...comment!, version: null, position: null };
    const facts = { actor: principal.userId, at: new Date().toISOString() };
    const stored = await this.append(planId, commentEvent({ type: COMMENT_EDITED, data }, facts));
    return { ...editedComment(comment!, data, facts), ...stored };
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
    await this.current(planId);
    const comment = await this.projections.comments.comment(planId, commentId);
    const data = decideResolveComment(comment, commentId);
    if (!data) return { ...comment!, version: null, position: null };
    const facts = { actor: principal.userId, at: new Date().toISOString() };
    const stored = await this.append(planId, commentEvent({ type: COMMENT_RESOLVED, data }, facts));
    return { ...resolvedComment(comment!, facts), ...stored };
  }

  /** decisions read the comments as of the plan's latest event, so a reply never misses its parent */
  private async current(planId: string): Promise<void> {
    const version = await this.store.streamVersion(planStreamId(planId));
    if (version >= 0) await this.projections.waitForPlanVersion('comments', planId, version);
  }

  private async append(
    planId: string,
    event: ReturnType<typeof commentEvent>,
  ): Promise<{ version: number; position: number }> {
    const result = await this.store.appendToStream(planStreamId(planId), [event]);
    return { version: result.nextExpectedVersion, position: result.events[0].position };
  }
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
