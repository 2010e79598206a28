// Preloaded (NODE_OPTIONS=--require) into the node processes the Pulumi CLI starts when the benchmark profiles:
// Node 20 refuses --cpu-prof in NODE_OPTIONS, so the dynamic-provider host profiles itself through the inspector
// and writes the profile when the engine stops it (SIGINT to the plugin's process group) or when it exits.
"use strict";
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && process.argv.some((a) => a.includes("cmd/dynamic-provider"))) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The in-thread inspector session answers synchronously, so this also works inside an 'exit' handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(path.join(dir, `provider-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
