"use strict";
// Engine options that pick resources (--exclude, --target) with restoring shares, whose settings resource depends on
// a `-originals` companion: the originals must be read before the first write, whatever the engine leaves out.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { after, before, test } = require("node:test");
const { engineFixture, USER_ID } = require("./support");

const ORIGINAL = { comment: "original", extractCode: "ORIG1234" };

let f;
before(async () => {
  f = await engineFixture({ projectName: "targeting" });
});
after(() => f.close());

const urn = (type, name) => `urn:pulumi:${f.stack.name}::targeting::pulumi-nodejs:dynamic/koodrive:${type}::${name}`;

/** A share holding ORIGINAL, declared as resource `name` with onDelete "restore" (comment "declared"). */
function declareRestoring(name, extractCode) {
  const share = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 10 });
  f.desired[name] = { shareId: share.shareId, validDays: 30, extractCode, comment: "declared", onDelete: "restore" };
  return share;
}

test("up --exclude of a new restoring share's companion writes nothing; a full up then restores on destroy", async () => {
  const share = declareRestoring("k", "NEWCODE1");
  f.emulator.requests.clear();
  // Without the refusal, the engine created the settings resource (one PUT, no originals read) and then failed the
  // run with a snapshot integrity error; the companion of a later up read the declared settings as the "originals".
  // The program sees the left-out companion's ID as not this share's, so check refuses, before anything is written.
  await assert.rejects(
    f.stack.up({ exclude: [urn("ShareOriginals", "k-originals")] }),
    /onDelete "restore" needs the share's original settings, read by its `-originals` companion resource[\s\S]*do not leave the companion out with --exclude or --target[\s\S]*nothing was written/,
  );
  assert.equal(f.puts().length, 0, "nothing was written");
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL);
  // The stack is left consistent: the next preview and up work without repairing state.
  await f.stack.preview();
  await f.stack.up();
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  await f.stack.destroy();
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL, "destroy restored the true originals");
  delete f.desired.k;
});

test("up --exclude of an existing companion still updates with the recorded originals; destroy --target restores one share", async () => {
  const share = declareRestoring("m", "NEWCODE2");
  await f.stack.up();
  f.desired.m = { ...f.desired.m, comment: "declared again" };
  const up = await f.stack.up({ exclude: [urn("ShareOriginals", "m-originals")] });
  assert.equal(up.summary.resourceChanges?.update, 1);
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared again");
  const destroy = await f.stack.destroy({ target: [urn("ShareSettings", "m")] });
  assert.equal(destroy.summary.resourceChanges?.delete, 1, "only the targeted settings resource is deleted");
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL, "its destroy restored the originals");
  // The companion stays in state; a full destroy deletes it without touching the share again.
  f.emulator.requests.clear();
  await f.stack.destroy();
  assert.equal(f.puts().length, 0);
  delete f.desired.m;
});

test("a shareId change with the companion left out refuses before writing: it holds the old share's originals", async () => {
  const first = f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 10 });
  const second = f.emulator.seedShare({ ownerId: USER_ID, comment: "second original", extractCode: "SECOND12", validDays: 10 });
  f.desired.n = { shareId: first.shareId, validDays: 30, extractCode: "NEWCODE3", comment: "declared", onDelete: "restore" };
  await f.stack.up();
  f.desired.n = { ...f.desired.n, shareId: second.shareId };
  f.emulator.requests.clear();
  // Without the refusal the new share was written and recorded with the first share's originals, which its destroy
  // would then have put on it.
  for (const leftOut of [{ exclude: [urn("ShareOriginals", "n-originals")] }, { target: [urn("ShareSettings", "n")] }]) {
    await assert.rejects(
      f.stack.up(leftOut),
      /onDelete "restore" needs the share's original settings[\s\S]*do not leave the companion out with --exclude or --target while it has not read this share/,
      JSON.stringify(leftOut),
    );
  }
  assert.equal(f.puts().length, 0, "nothing was written");
  assert.deepEqual(pick(f.emulator.getShare(second.shareId)), { comment: "second original", extractCode: "SECOND12" });
  // With the companion in the run: the new share is adopted with its own originals, the first one restored.
  await f.stack.up();
  assert.deepEqual(pick(f.emulator.getShare(first.shareId)), ORIGINAL);
  assert.equal(f.emulator.getShare(second.shareId).comment, "declared");
  await f.stack.destroy();
  assert.deepEqual(pick(f.emulator.getShare(second.shareId)), { comment: "second original", extractCode: "SECOND12" });
  delete f.desired.n;
});

/** stdout and stderr of an engine operation's result: where the provider's notices appear. */
const output = (result) => `${result.stdout}\n${result.stderr}`;

test("up --replace of a restoring share's settings resource, then of its companion: no restore under the successor, no false warning; destroy restores the true originals", async () => {
  const share = declareRestoring("r", "NEWCODE4");
  await f.stack.up();
  // The replacement's delete used to refuse with "NOT restoring … a rename without aliases?": its successor's write.
  const replaced = await f.stack.up({ replace: [urn("ShareSettings", "r")] });
  assert.match(output(replaced), /koodrive: share \d+: not restoring: another KooDriveShareSettings of this stack manages the share from this run on/);
  assert.doesNotMatch(output(replaced), /NOT restoring|warning:/);
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  // A new companion reads the share as Pulumi left it; the old one's delete used to warn that the originals were lost.
  const companionReplaced = await f.stack.up({ replace: [urn("ShareOriginals", "r-originals")] });
  assert.doesNotMatch(output(companionReplaced), /forgetting its original settings|warning:/);
  const destroyed = await f.stack.destroy();
  // The companion's originals are now the declared settings; it used to tell the user to set those "back" by hand.
  assert.doesNotMatch(output(destroyed), /forgetting its original settings|warning:/);
  assert.deepEqual(pick(f.emulator.getShare(share.shareId)), ORIGINAL, "destroy restored the true originals");
  delete f.desired.r;
});

test("up --replace of the companion, then of the settings resource: the new one records the companion's read (the declared settings), and the old one lists the true originals", async () => {
  const share = declareRestoring("s", "NEWCODE6");
  await f.stack.up();
  await f.stack.up({ replace: [urn("ShareOriginals", "s-originals")] });
  // The engine shows a forced replacement neither the old state nor a diff: the loss cannot be avoided, only told.
  // It used to go unsaid: destroy then left the declared settings without a word.
  const replaced = await f.stack.up({ replace: [urn("ShareSettings", "s")] });
  assert.match(output(replaced), /the share already holds the declared settings, so they are recorded as its originals too/);
  assert.match(
    output(replaced),
    new RegExp(`warning: not restoring: .* recorded other settings as the originals\\. The share's originals were: comment "${ORIGINAL.comment}"`),
  );
  assert.doesNotMatch(output(replaced), new RegExp(ORIGINAL.extractCode));
  await f.stack.destroy();
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  delete f.desired.s;
});

test("up --replace of both: the new adoption says its recorded originals are the declared settings; destroy --run-program still restores", async () => {
  declareRestoring("b", "NEWCODE5");
  await f.stack.up();
  const both = await f.stack.up({ replace: [urn("ShareSettings", "b"), urn("ShareOriginals", "b-originals")] });
  assert.match(
    output(both),
    /koodrive: share \d+: the share already holds the declared settings, so they are recorded as its originals too: destroy leaves them/,
  );
  // A destroy that runs the program (so the engine registers the resources) restores as a plain destroy does.
  f.desired.c = {
    shareId: f.emulator.seedShare({ ownerId: USER_ID, ...ORIGINAL, validDays: 10 }).shareId,
    validDays: 30,
    comment: "declared",
    onDelete: "restore",
  };
  await f.stack.up();
  await f.stack.destroy({ runProgram: true });
  assert.equal(f.emulator.getShare(f.desired.c.shareId).comment, "original", "destroy --run-program restored");
  delete f.desired.b;
  delete f.desired.c;
});

test("up --replace of both with deleteBeforeReplace: the old resource restores first, so the new adoption warns with the true originals its companion missed", async () => {
  const share = declareRestoring("d", "NEWCODE8");
  f.options.d = { deleteBeforeReplace: true };
  await f.stack.up();
  const both = await f.stack.up({ replace: [urn("ShareSettings", "d"), urn("ShareOriginals", "d-originals")] });
  // The new companion read the share before the old resource's restore: Pulumi's settings. This used to go unsaid.
  assert.match(
    output(both),
    new RegExp(
      `share ${share.shareId}: warning: a resource deleted earlier in this run \\(a replacement with deleteBeforeReplace\\) restored this share's original settings.*The share's originals were: comment "${ORIGINAL.comment}"`,
    ),
  );
  assert.doesNotMatch(output(both), new RegExp(ORIGINAL.extractCode));
  assert.equal(f.emulator.getShare(share.shareId).comment, "declared");
  await f.stack.destroy();
  delete f.desired.d;
  delete f.options.d;
});

test("the README's 'Reading an earlier state' commands, run as written, bring back a lost original access code", async () => {
  declareRestoring("h", "NEWCODE7");
  await f.stack.up();
  const history = path.join(f.handle.stateDir, ".pulumi", "history", "targeting", f.stack.name);
  const adoption = fs
    .readdirSync(history)
    .filter((name) => name.endsWith(".checkpoint.json"))
    .sort()
    .at(-1);
  // Lost: both replaced, so the state now records the declared settings as the originals.
  await f.stack.up({ replace: [urn("ShareSettings", "h"), urn("ShareOriginals", "h-originals")] });
  assert.doesNotMatch(f.handle.exportPlain(), new RegExp(ORIGINAL.extractCode));
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Reading an earlier state"));
  const commands = /^```\n([\s\S]*?)^```/m.exec(section)?.[1] ?? "";
  assert.match(commands, /\.pulumi\/history\/<project>\/<stack>\/<stack>-<time>\.checkpoint\.json/);
  const script = commands.replace(".pulumi/history/<project>/<stack>/<stack>-<time>.checkpoint.json", path.join(history, String(adoption)));
  const { workspace } = f.stack;
  const cli = path.dirname(workspace.pulumiCommand.command);
  const out = execFileSync("bash", ["-e", "-c", script], {
    cwd: workspace.workDir,
    env: { ...process.env, ...workspace.envVars, PULUMI_HOME: workspace.pulumiHome, PATH: `${cli}:${process.env.PATH}` },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.ok(out.includes(`\\"extractCode\\":\\"${ORIGINAL.extractCode}\\"`), "the export shows the original access code");
  await f.stack.destroy();
  delete f.desired.h;
});

function pick(share) {
  return { comment: share.comment, extractCode: share.extractCode };
}
