/** The REST resources of a plan's collections, one controller each from one definition. */
import { CreateMilestoneDto, UpdateMilestoneDto } from './entities/milestone.dto';
import { CreateObjectiveDto, UpdateObjectiveDto } from './entities/objective.dto';
import { CreatePhaseDto, UpdatePhaseDto } from './entities/phase.dto';
import { CreateResourceDto, UpdateResourceDto } from './entities/resource.dto';
import { CreateRiskDto, UpdateRiskDto } from './entities/risk.dto';
import { CreateStakeholderDto, UpdateStakeholderDto } from './entities/stakeholder.dto';
import { CreateTaskDto, UpdateTaskDto } from './entities/task.dto';
import { planEntityController } from './plan-entity.controller';

export const PLAN_ENTITY_CONTROLLERS = [
  planEntityController({
    collection: 'phases',
    createDto: CreatePhaseDto,
    updateDto: UpdatePhaseDto,
  }),
  planEntityController({ collection: 'tasks', createDto: CreateTaskDto, updateDto: UpdateTaskDto }),
  planEntityController({
    collection: 'milestones',
    createDto: CreateMilestoneDto,
    updateDto: UpdateMilestoneDto,
  }),
  planEntityController({
    collection: 'risks',
    createDto: CreateRiskDto,
    updateDto: UpdateRiskDto,
    listRoute: false,
  }),
  planEntityController({
    collection: 'resources',
    createDto: CreateResourceDto,
    updateDto: UpdateResourceDto,
  }),
  planEntityController({
    collection: 'stakeholders',
    createDto: CreateStakeholderDto,
    updateDto: UpdateStakeholderDto,
  }),
  planEntityController({
    collection: 'objectives',
    createDto: CreateObjectiveDto,
    updateDto: UpdateObjectiveDto,
  }),
];
