/**
 * Preloaded (`NODE_OPTIONS=--require …`, where `--cpu-prof` is not allowed) into servers a
 * bench wants profiled: samples the whole life of the process with the V8 CPU profiler and
 * writes the profile to BENCH_CPU_PROFILE (a .cpuprofile file) on the first SIGTERM (Nest's
 * shutdown hooks end the process by raising the signal again, so no 'exit' event comes) or
 * on exit. The inspector session is in the same thread, so its replies arrive synchronously,
 * which is what lets the profile be written from those handlers.
 */
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');

const file = process.env.BENCH_CPU_PROFILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  };
  // once: the shutdown hooks' own SIGTERM after closing must end the process as usual
  process.once('SIGTERM', write);
  process.on('exit', write);
}
