// Types of tlsFixtures.js, for the TypeScript tests.
export const TLS_FIXTURES: { caFile: string; serverTls(): { cert: string; key: string } };
