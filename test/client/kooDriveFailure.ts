import { KooDriveError } from "../../src/client/koodriveError";

/** The KooDriveError `p` rejects with; fails the test if it resolves or rejects with anything else. */
export async function kooDriveFailure(p: Promise<unknown>): Promise<KooDriveError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KooDriveError);
    return e as KooDriveError;
  }
  throw new Error("expected a KooDriveError");
}
