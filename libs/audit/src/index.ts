export * from './signing/audit-signing-key';
export * from './export/audit-manifest';
export * from './access-log/access-log';
export * from './attribution/field-changes';
export * from './attribution/plan-revisions';
