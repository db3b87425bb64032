import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingLog } from '../../test/membership-fixtures';
import { InvalidJwtSecretFileError, JWT_SECRET_FILE, loadJwtSecret } from './jwt-secret';
import { TokenService } from './token.service';

describe('loadJwtSecret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jwt-secret-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given no AUTH_JWT_SECRET and a fresh data dir, when loaded, then 32 random bytes are stored hex in a 0600 file and the mint command is printed', () => {
    const log = recordingLog();
    const secret = loadJwtSecret(
      { authJwtSecret: undefined, dataDir: join(dataDir, 'nested') },
      log,
    );
    const file = join(dataDir, 'nested', JWT_SECRET_FILE);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.lines).toEqual([expect.stringContaining('npm run cli -- token --sub alice')]);
  });

  it('given a secret generated earlier, when loaded again (a restart, or the CLI), then the same secret is used silently', () => {
    const first = loadJwtSecret({ authJwtSecret: undefined, dataDir }, recordingLog());
    const log = recordingLog();
    const again = loadJwtSecret({ authJwtSecret: undefined, dataDir }, log);
    expect(again).toBe(first);
    expect(log.lines).toEqual([]);
    const server = new TokenService(again);
    const cli = new TokenService(first);
    expect(server.verify(cli.mint({ sub: 'alice' })).userId).toBe('alice');
  });

  it('given AUTH_JWT_SECRET, then it is used and no file is written', () => {
    const configured = 'x'.repeat(40);
    expect(loadJwtSecret({ authJwtSecret: configured, dataDir }, recordingLog())).toBe(configured);
    expect(() => statSync(join(dataDir, JWT_SECRET_FILE))).toThrow(/ENOENT/);
  });

  it('given a secret file that is too short, then loading fails naming the file', () => {
    writeFileSync(join(dataDir, JWT_SECRET_FILE), 'abc\n', { mode: 0o600 });
    expect(() => loadJwtSecret({ authJwtSecret: undefined, dataDir }, recordingLog())).toThrow(
      InvalidJwtSecretFileError,
    );
  });

  it('given a secret file readable by others, then it is used with a warning to chmod it', () => {
    const file = join(dataDir, JWT_SECRET_FILE);
    writeFileSync(file, `${'f'.repeat(64)}\n`);
    chmodSync(file, 0o644);
    const log = recordingLog();
    expect(loadJwtSecret({ authJwtSecret: undefined, dataDir }, log)).toBe('f'.repeat(64));
    expect(log.lines).toEqual([
      expect.stringMatching(/^warn: .*readable by other users.*chmod 600/),
    ]);
  });
});
