/** Where auth reports what an operator must see; Nest's `Logger` fits, tests pass a silent one. */
export interface AuthLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const STDERR_AUTH_LOG: AuthLog = {
  log: (message) => process.stderr.write(`${message}\n`),
  warn: (message) => process.stderr.write(`warn: ${message}\n`),
  error: (message) => process.stderr.write(`error: ${message}\n`),
};
