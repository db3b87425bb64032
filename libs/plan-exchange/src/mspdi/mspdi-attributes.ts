/**
 * The custom fields an MSPDI export uses to carry what the standard elements cannot: the
 * plan's own ids, a task's status and exact assignee and resource lists, a budget resource's
 * amount. Other tools show them as "Plan id", "Status"… text columns; the importer finds them
 * by alias, so a file that moved them to other fields still round-trips.
 */
export interface MspdiAttribute {
  readonly fieldId: string;
  readonly fieldName: string;
  readonly alias: string;
}

export const MSPDI_ATTRIBUTES = {
  planId: { fieldId: '188743731', fieldName: 'Text1', alias: 'Plan id' },
  status: { fieldId: '188743734', fieldName: 'Text2', alias: 'Status' },
  assignees: { fieldId: '188743737', fieldName: 'Text3', alias: 'Assignees' },
  resourceIds: { fieldId: '188743740', fieldName: 'Text4', alias: 'Resource ids' },
  resourceId: { fieldId: '205520904', fieldName: 'Text1', alias: 'Resource id' },
  amount: { fieldId: '205520905', fieldName: 'Text2', alias: 'Amount' },
} as const satisfies Record<string, MspdiAttribute>;
