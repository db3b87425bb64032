/**
 * Launches a Hocuspocus reference server for bench:collab (plain JS, so the measured
 * process carries no TypeScript compiler): no extensions, or the SQLite extension when
 * HOCUSPOCUS_SQLITE names a database file. Env: HOST, PORT, HOCUSPOCUS_MODULE (the package
 * to run: `@hocuspocus/server` for 3.x, its alias `hocuspocus-server-v4` for 4.x; both take
 * the same configuration and keep their defaults, e.g. 4.x batches broadcasts per tick).
 */
const { Server } = require(process.env.HOCUSPOCUS_MODULE ?? '@hocuspocus/server');

const extensions = [];
if (process.env.HOCUSPOCUS_SQLITE) {
  // only reached when @hocuspocus/extension-sqlite is installed; the bench checks first
  const { SQLite } = require('@hocuspocus/extension-sqlite');
  extensions.push(new SQLite({ database: process.env.HOCUSPOCUS_SQLITE }));
}

const server = new Server({
  port: Number(process.env.PORT),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  extensions,
});
server.listen().then(
  () => process.stdout.write(`hocuspocus listening on ${process.env.HOST}:${process.env.PORT}\n`),
  (error) => {
    process.stderr.write(`hocuspocus failed to start: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
