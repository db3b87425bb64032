/**
 * The role matrix walks the OpenAPI document and refuses routes without an access rule. This
 * proves the refusal is real: a controller gains a route without a rule, and the same check
 * the matrix runs names it.
 */
import { Controller, Delete, Get, Post, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { PlanAccess } from '@lib/auth';
import { Authenticated, PlanRole, Public } from '@lib/auth/nest';
import { apiRoutes, routesWithoutRule, type OpenApiDocument } from '../support/openapi-routes';

@Controller('things')
class RuledController {
  @Get()
  @Public()
  list(): void {}

  @Post()
  @Authenticated()
  create(): void {}

  @Post(':id/parts')
  @PlanRole('edit')
  addPart(): void {}
}

@Controller('things')
class NewRouteController {
  // added later by someone who forgot the rule
  @Delete(':id')
  remove(): void {}
}

async function documentOf(...controllers: Array<new () => unknown>): Promise<OpenApiDocument> {
  const module = await Test.createTestingModule({
    controllers,
    // the guard behind the decorators needs a PlanAccess; the document never calls it
    providers: [{ provide: PlanAccess, useValue: {} }],
  }).compile();
  const app: INestApplication = module.createNestApplication({ logger: false });
  await app.init();
  try {
    return SwaggerModule.createDocument(
      app,
      new DocumentBuilder().build(),
    ) as unknown as OpenApiDocument;
  } finally {
    await app.close();
  }
}

describe('access rules in the OpenAPI document', () => {
  it('given routes that each declare a rule, then the document carries every rule and none is missing', async () => {
    const doc = await documentOf(RuledController);
    expect(routesWithoutRule(doc)).toEqual([]);
    expect(apiRoutes(doc).map((r) => [r.name, r.rule])).toEqual([
      ['GET /things', { kind: 'public' }],
      ['POST /things', { kind: 'authenticated' }],
      ['POST /things/{id}/parts', { kind: 'plan', need: 'edit', param: 'id' }],
    ]);
  });

  it('given a route added without a rule, then the matrix check names it', async () => {
    const doc = await documentOf(RuledController, NewRouteController);
    expect(routesWithoutRule(doc)).toEqual(['DELETE /things/{id}']);
  });
});
