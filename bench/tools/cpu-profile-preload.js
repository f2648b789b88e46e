// CPU-profile a process of the stack with Node's built-in profiler (the inspector's Profiler
// domain), around exactly the scenario you care about. `--cpu-prof` is refused in NODE_OPTIONS,
// so this is loaded with `--require` instead:
//
//   NODE_OPTIONS="--require $PWD/bench/tools/cpu-profile-preload.js" PROF_TARGETS=orders,tickets …
//
// In a process whose working folder is named in PROF_TARGETS (the services run in theirs;
// the gateway in `local`), SIGUSR2 starts the profiler and the next SIGUSR2 writes
// $PROF_DIR/<folder>-<pid>-<n>.cpuprofile (PROF_DIR defaults to the temp folder). Open it in
// Chrome DevTools or summarise it with cpu-profile-summary.js.
'use strict';
const path = require('node:path');

const name = path.basename(process.cwd());
if ((process.env.PROF_TARGETS || '').split(',').includes(name)) {
  const fs = require('node:fs');
  const os = require('node:os');
  const inspector = require('node:inspector');
  const dir = process.env.PROF_DIR || os.tmpdir();
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 }); // µs
  let running = false;
  let n = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, res) => {
      if (!err) fs.writeFileSync(path.join(dir, `${name}-${process.pid}-${++n}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
