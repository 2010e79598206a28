// Runs one `up` of a test's stack in a process of its own, for a test that kills its CLI (crashSafety.test.js).
// stdin: JSON { projectName, stackName, workDir, pulumiHome, envVars, cliRoot, desired } (see support.js for
// `desired`). Prints one line, {"outcome": "finished" | "failed: ..."}, when the up settles; if it cannot start the
// up, prints why on stderr and exits with code 2.
//
// Why a process of its own: the Automation API runs an inline program in the process that asked for the up. After
// a kill of the CLI that program never ends (its call to the dead engine stays pending; seen still running 20 s
// later, through the next up), and when its calls finally fail, the SDK's clean-up runs in the same process as the
// test's next operations. That is the likely (unproven) cause of one clean-clone failure: the up after the kill
// reported no update, and two "14 UNAVAILABLE: No connection established" rejections were logged after the test.
// The test stops this process once the up has failed, and the program with it.
"use strict";
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const { programDeclaring } = require("../support");

// The killed program's pending calls fail whenever they do; nothing here is to report them.
process.on("unhandledRejection", () => {});

async function main() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  const { projectName, stackName, workDir, pulumiHome, envVars, cliRoot, desired } = JSON.parse(text);
  const pulumiCommand = await PulumiCommand.get({ root: cliRoot });
  const stack = await LocalWorkspace.selectStack(
    { projectName, stackName, program: programDeclaring(desired) },
    { workDir, pulumiHome, envVars, pulumiCommand },
  );
  const outcome = await stack.up().then(
    () => "finished",
    (e) => `failed: ${String(e?.message ?? e).split("\n")[0]}`,
  );
  process.stdout.write(`${JSON.stringify({ outcome })}\n`);
}

main().catch((error) => {
  process.stderr.write(`upToBeKilled: ${error?.stack ?? error}\n`);
  process.exit(2);
});
