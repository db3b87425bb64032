/**
 * Preloaded into a server process by tests (NODE_OPTIONS=--require …): announces that it loaded,
 * then writes one line to stderr the first time anything enters an AsyncLocalStorage, which on
 * Node 20 turns on promise hooks for the rest of the process.
 */
const { AsyncLocalStorage } = require('node:async_hooks');

process.stderr.write('async-context-probe: loaded\n');
let reported = false;
for (const method of ['run', 'enterWith']) {
  const original = AsyncLocalStorage.prototype[method];
  AsyncLocalStorage.prototype[method] = function (...args) {
    if (!reported) {
      reported = true;
      const caller = new Error().stack.split('\n').slice(2, 4).join(' | ');
      process.stderr.write(`async-context-probe: AsyncLocalStorage.${method} entered at ${caller}\n`);
    }
    return original.apply(this, args);
  };
}
