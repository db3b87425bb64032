/**
 * `GET /portfolio`: every plan the caller can read, one line each (libs/projections
 * portfolio.ts). Dashboards keep it live by refetching on the feed's read-model notices.
 */
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { canRead, PlanAccess, PlanMembership, type Principal } from '@lib/auth';
import { Authenticated, CurrentPrincipal } from '@lib/auth/nest';
import { portfolioLine, Projections, type PortfolioPlan } from '@lib/projections';

@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('portfolio')
export class PortfolioController {
  constructor(
    @Inject(Projections) private readonly projections: Projections,
    private readonly membership: PlanMembership,
    private readonly access: PlanAccess,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary:
      'Every plan you can read: finish forecast vs baseline, critical-path slip, open critical/high risks, budget use, next milestone, SPI/CPI (null until earned value exists)',
  })
  async portfolio(
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ today: string; plans: PortfolioPlan[] }> {
    const today = new Date().toISOString().slice(0, 10);
    const plans =
      this.access.mode === 'off'
        ? (await this.projections.planSummary.plans({ includeArchived: true })).map((p) => ({
            planId: p.id,
            title: p.title,
            archived: p.archived,
            role: 'owner',
          }))
        : (await this.membership.plansOf(principal.userId))
            .filter((p) => canRead(p.role))
            .map((p) => ({ planId: p.planId, title: p.title, archived: p.archived, role: p.role }));
    const lines = await Promise.all(
      plans.map(async (plan) => {
        const [summary, timeline, risks] = await Promise.all([
          this.projections.planSummary.summary(plan.planId),
          this.projections.timeline.timeline(plan.planId),
          this.projections.riskRegister.riskRegister(plan.planId, { today }),
        ]);
        return portfolioLine({ ...plan, summary, timeline, risks });
      }),
    );
    lines.sort((a, b) => a.title.localeCompare(b.title) || a.planId.localeCompare(b.planId));
    return { today, plans: lines };
  }
}
