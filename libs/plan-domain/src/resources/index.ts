/** Resources: allocation per ISO week against capacity, planned cost against budget per category. */
export * from './cost-plan';
export * from './iso-week';
export * from './resource-allocation';
export * from './leveling';
export * from './actual-cost';
