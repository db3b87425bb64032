export * from './signing/audit-signing-key';
export * from './export/audit-manifest';
export * from './access-log/access-log';
