/**
 * `token --sub alice [--name "Alice"] [--expires 12h]`: mints a JWT with the secret the server
 * uses (AUTH_JWT_SECRET, else `<DATA_DIR>/jwt-secret`, created here if the server never ran).
 * The token alone goes to stdout so `TOKEN=$(npm run -s cli -- token --sub alice)` works.
 */
import { parseArgs } from 'node:util';
import {
  InvalidTokenRequestError,
  STDERR_AUTH_LOG,
  TokenService,
  loadJwtSecret,
  parseLifetimeSeconds,
  type JwtSecretSettings,
} from '@lib/auth';

export const TOKEN_USAGE =
  '  token --sub <userId> [--name <display name>] [--expires 12h]   mint a JWT for the API and websockets\n';

export function tokenCommand(settings: JwtSecretSettings, args: readonly string[]): number {
  const { values } = parseArgs({
    args: [...args],
    options: { sub: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' } },
  });
  if (!values.sub) {
    process.stderr.write(`token: --sub <userId> is required\n${TOKEN_USAGE}`);
    return 2;
  }
  let token: string;
  try {
    // checked before the secret is loaded, so a typo never creates a secret file
    if (values.expires !== undefined) parseLifetimeSeconds(values.expires);
    const tokens = new TokenService(loadJwtSecret(settings, STDERR_AUTH_LOG));
    token = tokens.mint({ sub: values.sub, name: values.name, expiresIn: values.expires });
  } catch (error) {
    if (!(error instanceof InvalidTokenRequestError)) throw error;
    process.stderr.write(`token: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(`${token}\n`);
  return 0;
}
