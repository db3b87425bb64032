/**
 * Webhook subscriptions: register (as owner of the plans, or as an admin), list, inspect
 * progress and dead letters, remove. Delivery itself is the dispatcher's.
 */
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  ForbiddenError,
  PlanAccess,
  PlanNotFoundError,
  PlanMembership,
  type Principal,
} from '@lib/auth';
import { Authenticated, CurrentPrincipal } from '@lib/auth/nest';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { checkWebhookUrl, isWebhookDestinationError } from './webhook-destination';
import { WebhookDispatcher } from './webhook-dispatcher';
import { CreateWebhookDto } from './webhook.dto';
import { WebhookStore, type WebhookSubscription } from './webhook-store';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly store: WebhookStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly access: PlanAccess,
    private readonly membership: PlanMembership,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary:
      'Register a webhook: signed POSTs of every change of the plans (owner of each, or admin), in position order',
  })
  async create(@Body() dto: CreateWebhookDto, @CurrentPrincipal() principal: Principal) {
    try {
      checkWebhookUrl(dto.url, this.config.webhookAllowedHosts);
    } catch (error) {
      if (isWebhookDestinationError(error))
        throw new BadRequestException({ error: 'Bad Request', message: error.message });
      throw error;
    }
    if (dto.plans !== '*' && !this.isAdmin(principal)) {
      for (const planId of dto.plans) {
        const found = await this.membership.membershipOf(planId, principal.userId);
        if (!found) throw new PlanNotFoundError(planId);
        if (this.access.mode !== 'off' && found.role !== 'owner')
          throw new ForbiddenError(
            planId,
            principal.userId,
            'manage',
            'only owners register webhooks',
          );
      }
    }
    const subscription = await this.store.create({
      id: randomUUID(),
      ownerId: principal.userId,
      url: dto.url,
      plans: dto.plans === '*' ? '*' : [...new Set(dto.plans)],
      kinds: dto.kinds === undefined || dto.kinds === '*' ? '*' : [...new Set(dto.kinds)],
      secret: dto.secret,
      createdAt: new Date().toISOString(),
      ackedPosition: dto.from ?? (await this.events.headPosition()),
    });
    this.dispatcher.changed();
    return view(subscription);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your webhooks (an admin sees all)' })
  async list(@CurrentPrincipal() principal: Principal) {
    const all = await this.store.list(this.isAdmin(principal) ? undefined : principal.userId);
    return all.map(view);
  }

  @Get(':webhookId')
  @Authenticated()
  @ApiOperation({
    summary:
      'A webhook: acknowledged position, the delivery being retried, dead letters with reasons',
  })
  async get(@Param('webhookId') id: string, @CurrentPrincipal() principal: Principal) {
    const subscription = await this.owned(id, principal);
    return { ...view(subscription), deadLetters: await this.store.deadLetters(id) };
  }

  @Delete(':webhookId')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop and remove a webhook' })
  async remove(@Param('webhookId') id: string, @CurrentPrincipal() principal: Principal) {
    await this.owned(id, principal);
    await this.store.delete(id);
    this.dispatcher.changed();
    return { id, deleted: true };
  }

  private isAdmin(principal: Principal): boolean {
    return this.access.mode === 'off' || this.config.adminUsers.includes(principal.userId);
  }

  /** someone else's webhook is answered like a missing one: ids are not for probing */
  private async owned(id: string, principal: Principal): Promise<WebhookSubscription> {
    const subscription = await this.store.get(id);
    if (!subscription || (subscription.ownerId !== principal.userId && !this.isAdmin(principal)))
      throw new NotFoundException({ error: 'Not Found', message: `webhook ${id} does not exist` });
    return subscription;
  }
}

/** what the API shows of a subscription: everything but the secret */
function view(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    plans: subscription.plans,
    kinds: subscription.kinds,
    ownerId: subscription.ownerId,
    createdAt: subscription.createdAt,
    ackedPosition: subscription.ackedPosition,
    delivered: subscription.delivered,
    pending: subscription.pending ?? null,
  };
}
