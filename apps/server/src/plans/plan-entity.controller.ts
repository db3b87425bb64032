/**
 * One REST resource per plan collection (`/plans/:id/tasks`, `/risks`, …), made from one
 * definition: the routes are identical, only the collection and its DTOs differ. Every write
 * runs through PlanCommands, i.e. the same durable write path as a websocket edit.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  type Type,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { PERSONAL_FIELDS, PersonalData, sealPersonalFields } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { CurrentPrincipal, PlanRole } from '@lib/auth/nest';
import { PlanCommands } from '@lib/collab';
import {
  ENTITY_TYPE_OF,
  PlanEntityNotFoundError,
  type CollectionName,
  type EntityByCollection,
  type NewEntityByCollection,
  type Patch as EntityPatch,
} from '@lib/plan-domain';

export interface PlanEntityResource<C extends CollectionName> {
  readonly collection: C;
  readonly createDto: Type<NewEntityByCollection[C]>;
  readonly updateDto: Type<EntityPatch<EntityByCollection[C]>>;
  /** false where a read model answers `GET /plans/:id/<collection>` (risks: the risk register) */
  readonly listRoute?: boolean;
}

export function planEntityController<C extends CollectionName>(
  resource: PlanEntityResource<C>,
): Type<unknown> {
  const { collection, createDto, updateDto } = resource;
  const noun = ENTITY_TYPE_OF[collection];

  @ApiTags(collection)
  @ApiBearerAuth()
  @Controller(`plans/:id/${collection}`)
  class PlanEntityController {
    constructor(
      readonly commands: PlanCommands,
      readonly personalData: PersonalData,
    ) {}

    @Get()
    @PlanRole('read')
    @ApiOperation({ summary: `All ${collection} of the plan` })
    async list(@Param('id') planId: string) {
      const { plan } = await this.commands.read(planId);
      return plan[collection];
    }

    @Get(':entityId')
    @PlanRole('read')
    @ApiOperation({ summary: `One ${noun}` })
    async get(@Param('id') planId: string, @Param('entityId') entityId: string) {
      const { plan } = await this.commands.read(planId);
      const entity = (plan[collection] as ReadonlyArray<{ id: string }>).find(
        (e) => e.id === entityId,
      );
      if (!entity) throw new PlanEntityNotFoundError({ type: noun, id: entityId });
      return entity;
    }

    @Post()
    @PlanRole('edit')
    @ApiOperation({ summary: `Add a ${noun}` })
    @ApiBody({ type: createDto })
    async create(
      @Param('id') planId: string,
      @Body() input: NewEntityByCollection[C],
      @CurrentPrincipal() principal: Principal,
    ) {
      const id = input.id ?? randomUUID();
      const fields = await sealPersonalFields(this.personalData, collection, id, { ...input, id });
      const { result, version } = await this.commands.execute(planId, principal.userId, (plan) =>
        plan.add(collection, fields as unknown as NewEntityByCollection[C]),
      );
      return { ...result, version };
    }

    @Patch(':entityId')
    @PlanRole('edit')
    @ApiOperation({ summary: `Change some fields of a ${noun}; null clears an optional field` })
    @ApiBody({ type: updateDto })
    async update(
      @Param('id') planId: string,
      @Param('entityId') entityId: string,
      @Body() patch: EntityPatch<EntityByCollection[C]>,
      @CurrentPrincipal() principal: Principal,
    ) {
      // the subject of a sealed field that is patched is the one it was sealed for
      const current = PERSONAL_FIELDS[collection]
        ? ((await this.commands.read(planId)).plan[collection] as readonly { id: string }[]).find(
            (e) => e.id === entityId,
          )
        : undefined;
      const fields = await sealPersonalFields(
        this.personalData,
        collection,
        entityId,
        { ...patch },
        current as Readonly<Record<string, unknown>> | undefined,
      );
      const { result, version } = await this.commands.execute(planId, principal.userId, (plan) =>
        plan.update(collection, entityId, fields as EntityPatch<EntityByCollection[C]>),
      );
      return { ...result, version };
    }

    @Delete(':entityId')
    @PlanRole('edit')
    @HttpCode(200)
    @ApiOperation({ summary: `Remove a ${noun} (links to it are removed with it)` })
    async remove(
      @Param('id') planId: string,
      @Param('entityId') entityId: string,
      @CurrentPrincipal() principal: Principal,
    ) {
      const { version } = await this.commands.execute(planId, principal.userId, (plan) =>
        plan.remove(collection, entityId),
      );
      return { id: entityId, removed: true, version };
    }
  }

  // the DTO classes are only known here, so the body parameters get their types explicitly
  Reflect.defineMetadata(
    'design:paramtypes',
    [String, createDto, Object],
    PlanEntityController.prototype,
    'create',
  );
  Reflect.defineMetadata(
    'design:paramtypes',
    [String, String, updateDto, Object],
    PlanEntityController.prototype,
    'update',
  );
  Object.defineProperty(PlanEntityController, 'name', {
    value: `${noun[0].toUpperCase()}${noun.slice(1)}sController`,
  });
  if (resource.listRoute === false) {
    // without its route metadata Nest does not map the method
    Reflect.deleteMetadata('path', PlanEntityController.prototype.list);
    Reflect.deleteMetadata('method', PlanEntityController.prototype.list);
  }
  return PlanEntityController;
}
