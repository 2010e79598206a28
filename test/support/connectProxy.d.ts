// Types of connectProxy.js, for the TypeScript tests.
export interface ConnectProxy {
  url: string;
  seen: string[];
  connections(): number;
  close(): Promise<void>;
}
export function startConnectProxy(options?: { refuseWith?: number; refusalPage?: string; pageAfterMs?: number; refuseAfter?: number }): Promise<ConnectProxy>;
