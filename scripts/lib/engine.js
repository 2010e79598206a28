// Drives the real Pulumi engine offline: a local file backend, passphrase secrets, no update checks or plugin
// downloads. Shared by the demo and the engine tests. Plain JavaScript run by node (not jest), so the closure
// serializer sees ordinary modules.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "../..");

let cliRootOnce;

/** Runs scripts/ensure-pulumi.sh (cached after the first build) once per process; returns the CLI root (holding bin/pulumi). */
function ensurePulumiCli() {
  if (cliRootOnce) return cliRootOnce;
  const result = spawnSync("bash", [path.join(repoRoot, "scripts/ensure-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`scripts/ensure-pulumi.sh failed with exit code ${result.status}`);
  cliRootOnce = result.stdout.trim().split("\n").pop();
  return cliRootOnce;
}

/**
 * The serialized provider loads `pulumi-koodrive/provider-impl` by package name from the program's directory, as it
 * does in a user's project. In this source tree the package is not installed in its own node_modules, so link it.
 */
function ensureSelfLink() {
  const link = path.join(repoRoot, "node_modules", "pulumi-koodrive");
  let target;
  try {
    target = fs.readlinkSync(link);
  } catch {
    target = undefined;
  }
  if (target !== "..") {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync("..", link, "dir");
  }
  const bundle = path.join(repoRoot, "dist", "provider-impl.js");
  if (!fs.existsSync(bundle)) throw new Error("dist/ is missing: run npm run build (npm ci does it)");
  // The provider processes run the bundle, the last output of a build: one older than a source runs old code.
  const builtAt = fs.statSync(bundle).mtimeMs;
  const newer = fs
    .readdirSync(path.join(repoRoot, "src"), { recursive: true, encoding: "utf8" })
    .find((f) => fs.statSync(path.join(repoRoot, "src", f)).mtimeMs > builtAt);
  if (newer !== undefined) throw new Error(`dist/ is older than src/${newer}: run npm run build`);
}

/** Environment for every CLI call: offline, isolated, non-interactive. */
function engineEnv(stateDir, extra = {}) {
  return {
    // metadata=skip: the file backend writes a `.attrs` file beside each state file in place (not through a temporary
    // file and a rename, as it does the state): a CLI killed while writing it, as the crash tests do under load, left
    // it empty, and every later command failed with "failed to load checkpoint: EOF".
    PULUMI_BACKEND_URL: `file://${stateDir}?metadata=skip`,
    PULUMI_CONFIG_PASSPHRASE: "koodrive-local-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

/**
 * Opens a fresh stack on a temporary file backend. `program` runs inline (Automation API), which needs only the
 * `pulumi` CLI and the `pulumi-resource-pulumi-nodejs` launcher beside it, not the Node language host.
 * `workDir` uses an existing Pulumi.yaml; otherwise the project's main is `nodeModulesFrom` (default: this
 * repository), the folder from which the provider process resolves `pulumi-koodrive` and `@pulumi/pulumi`.
 * @param {{ projectName: string, stackName?: string, program: () => Promise<unknown>, workDir?: string,
 *           env?: Record<string,string>, nodeModulesFrom?: string, cliRoot?: string }} options
 */
async function openStack(options) {
  const nodeModulesFrom = options.nodeModulesFrom || repoRoot;
  const { LocalWorkspace, PulumiCommand } = require(require.resolve("@pulumi/pulumi/automation", { paths: [nodeModulesFrom] }));
  const cliRoot = options.cliRoot || ensurePulumiCli();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `koodrive-${options.projectName}-`));
  const stateDir = path.join(scratch, "state");
  const home = path.join(scratch, "home");
  fs.mkdirSync(stateDir);
  fs.mkdirSync(home);
  const env = engineEnv(stateDir, options.env);
  const pulumiCommand = await PulumiCommand.get({ root: cliRoot });
  const stackName = options.stackName || "ci";
  const workspaceOptions = { pulumiCommand, pulumiHome: home, envVars: env };
  if (options.workDir) workspaceOptions.workDir = options.workDir;
  else {
    // Inside the scratch folder: without a workDir the Automation API makes an automation-* folder in the system's
    // temp folder for each stack and never removes it.
    workspaceOptions.workDir = path.join(scratch, "project");
    fs.mkdirSync(workspaceOptions.workDir);
    workspaceOptions.projectSettings = { name: options.projectName, runtime: "nodejs", main: nodeModulesFrom };
  }
  const stack = await LocalWorkspace.createOrSelectStack({ projectName: options.projectName, stackName, program: options.program }, workspaceOptions);
  const pulumiBin = path.join(cliRoot, "bin", "pulumi");
  const fullName = `organization/${options.projectName}/${stackName}`;
  return {
    stack,
    stateDir,
    /** `pulumi stack export` exactly as a user runs it (secrets stay encrypted; the Automation API would decrypt). */
    exportPlain() {
      return execFileSync(pulumiBin, ["stack", "export", "--stack", fullName, "--non-interactive"], {
        cwd: scratch,
        env: { ...process.env, ...env, PULUMI_HOME: home },
        encoding: "utf8",
        // A stack of a few hundred resources exports more than the default 1 MiB of output.
        maxBuffer: 512 * 1024 * 1024,
      });
    },
    /** Every file the backend wrote (state, backups, history), concatenated. */
    rawBackendFiles() {
      const texts = [];
      const walk = (dir) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(p);
          else texts.push(fs.readFileSync(p, "utf8"));
        }
      };
      walk(stateDir);
      return texts.join("\n");
    },
    async remove() {
      try {
        await stack.workspace.removeStack(stackName, { force: true });
      } catch {
        // best effort: the scratch folder goes anyway
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * NODE_OPTIONS for processes that preload the shifted clock (shiftedClock.js): the user's own options kept, the path
 * quoted (a checkout in a folder with spaces).
 */
function shiftedClockNodeOptions() {
  return `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(path.join(__dirname, "shiftedClock.js"))}`.trim();
}

module.exports = { repoRoot, ensurePulumiCli, ensureSelfLink, openStack, shiftedClockNodeOptions };
