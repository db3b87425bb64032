/**
 * Operator and auditor CLI (`npm run cli -- <command>`). Reads the same environment as the
 * server (EVENT_STORE, DATA_DIR, DATABASE_URL, …) and talks to the store directly.
 */
import { parseArgs } from 'node:util';
import { loadAuditSigningKey } from '@lib/audit';
import { isConfigError, loadConfig } from '@lib/config';
import { openEventStore } from '@lib/event-store';
import { DEMO_USAGE, demoCommand } from './commands/demo.command';
import { EXPORT_PLAN_USAGE, exportPlanCommand } from './commands/export-plan.command';
import { EXPORT_USAGE, exportCommand } from './commands/export.command';
import { IMPORT_PLAN_USAGE, importPlanCommand } from './commands/import-plan.command';
import { IMPORT_USAGE, importCommand } from './commands/import.command';
import { REBUILD_USAGE, rebuildCommand } from './commands/rebuild.command';
import { REPLAY_USAGE, replayCommand } from './commands/replay.command';
import { REPORT_USAGE, reportCommand } from './commands/report.command';
import { RETENTION_USAGE, retentionCommand } from './commands/retention.command';
import { TOKEN_USAGE, tokenCommand } from './commands/token.command';
import { verifyCommand } from './commands/verify.command';
import { VERIFY_EXPORT_USAGE, verifyExportCommand } from './commands/verify-export.command';

const USAGE = `usage: npm run cli -- <command>
  verify <streamId…> | --all     recompute hash chains, report the first broken event
  audit-key > audit.pub.pem        the public key of the audit signing key (as GET /audit/public-key?format=pem)
${TOKEN_USAGE}${REBUILD_USAGE}${REPLAY_USAGE}${EXPORT_USAGE}${VERIFY_EXPORT_USAGE}${IMPORT_USAGE}${REPORT_USAGE}${IMPORT_PLAN_USAGE}${EXPORT_PLAN_USAGE}${DEMO_USAGE}${RETENTION_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  // offline: needs neither the store nor the server's configuration
  if (command === 'verify-export') return verifyExportCommand(rest);
  const config = loadConfig();
  switch (command) {
    case 'verify': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { all: { type: 'boolean' } },
        allowPositionals: true,
      });
      const store = await openEventStore(config);
      try {
        return await verifyCommand(store, positionals, values.all ?? false);
      } finally {
        await store.close();
      }
    }
    case 'audit-key':
      process.stdout.write(loadAuditSigningKey(config).publicKey.pem);
      return 0;
    case 'token':
      return tokenCommand(config, rest);
    case 'rebuild':
      return rebuildCommand(config, rest);
    case 'replay':
      return replayCommand(config, rest);
    case 'export':
      return exportCommand(config, rest);
    case 'import':
      return importCommand(config, rest);
    case 'report':
      return reportCommand(config, rest);
    case 'import-plan':
      return importPlanCommand(config, rest);
    case 'export-plan':
      return exportPlanCommand(config, rest);
    case 'demo':
      return demoCommand(config);
    case 'retention':
      return retentionCommand(config, rest);
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isConfigError(error))
      for (const p of error.problems) process.stderr.write(`config error: ${p}\n`);
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(isConfigError(error) ? 2 : 1);
  },
);
