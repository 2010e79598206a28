// Types of providerText020.js, for the TypeScript tests.
export function providerText020(kind: "shareSettings" | "shareOriginals" | "share"): string;
