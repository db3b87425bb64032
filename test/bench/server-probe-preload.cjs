/**
 * Preloaded into every server bench:collab starts (`node --expose-gc -r this-file …`), so
 * all of them are measured the same way from inside, on request over IPC (not signals:
 * Nest's shutdown hooks treat SIGUSR2 as "shut down"):
 *   'bench-heap'                        → full GC, then { benchHeap: process.memoryUsage() }
 *   'bench-profile-start'               → starts the V8 CPU profiler and the sampling heap
 *                                         profiler, { benchProfile: 'started' }
 *   { benchProfileStop: '/x.cpuprofile' } → writes the CPU profile there and what was allocated
 *                                         meanwhile (garbage included) beside it as
 *                                         /x.heapprofile, { benchProfile: path }
 */
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');

let profiler;

function post(session, method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function handle(message) {
  if (message === 'bench-heap') {
    global.gc();
    const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
    return { benchHeap: { heapUsed, rss, external, arrayBuffers } };
  }
  if (message === 'bench-profile-start') {
    profiler = new Session();
    profiler.connect();
    await post(profiler, 'Profiler.enable');
    await post(profiler, 'Profiler.setSamplingInterval', { interval: 200 });
    await post(profiler, 'Profiler.start');
    await post(profiler, 'HeapProfiler.enable');
    await post(profiler, 'HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return { benchProfile: 'started' };
  }
  if (message && typeof message.benchProfileStop === 'string') {
    const { profile: allocations } = await post(profiler, 'HeapProfiler.stopSampling');
    writeFileSync(
      message.benchProfileStop.replace(/\.cpuprofile$/, '.heapprofile'),
      JSON.stringify(allocations),
    );
    const { profile } = await post(profiler, 'Profiler.stop');
    profiler.disconnect();
    writeFileSync(message.benchProfileStop, JSON.stringify(profile));
    return { benchProfile: message.benchProfileStop };
  }
  return undefined;
}

if (process.send) {
  process.on('message', (message) => {
    handle(message).then(
      (reply) => reply && process.send(reply),
      (error) => process.send({ benchProbeError: String(error && error.stack ? error.stack : error) }),
    );
  });
  // the channel alone must not keep a server alive that would otherwise exit
  process.channel.unref();
}
