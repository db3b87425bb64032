/**
 * `DEMO=1`: at start-up, load the CRM demo plan (with its two weeks of history) unless the
 * store already has it, and log its URL and a token for its owner — the same as
 * `npm run cli -- demo`, for a server started in one command.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TokenService } from '@lib/auth';
import { APP_CONFIG, type AppConfig } from '@lib/config';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { planStreamId } from '@lib/plan-domain';
import { CRM_DEMO_OWNER, CRM_DEMO_PLAN_ID, seedCrmDemo } from '@lib/plan-exchange';

@Injectable()
export class DemoPlanLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    const missing = (await this.store.streamVersion(planStreamId(CRM_DEMO_PLAN_ID))) < 0;
    if (missing) await seedCrmDemo(this.store);
    const token = this.tokens.mint({ sub: CRM_DEMO_OWNER, name: 'Maria (PM)', expiresIn: '7d' });
    const host = ['0.0.0.0', '::'].includes(this.config.host) ? 'localhost' : this.config.host;
    this.logger.log(
      `demo plan ${missing ? 'loaded' : 'already there'}: open http://${host}:${this.config.port}/p/${CRM_DEMO_PLAN_ID} ` +
        `and sign in as ${CRM_DEMO_OWNER} with this token (valid 7 days): ${token}`,
    );
  }
}
