// oidc-provider ships no type declarations; the fake uses a small, loosely typed slice of it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextLike {
    path: string;
    method: string;
    querystring: string;
    status: number;
    body: unknown;
    req: IncomingMessage & { body?: unknown };
    is(type: string): string | false | null;
  }

  export interface TokenLike {
    accountId?: string;
    clientId?: string;
    scope?: string;
    destroy(): Promise<void>;
  }

  export interface GrantLike {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(mw: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown>; session?: { accountId?: string } }>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    AccessToken: { find(value: string): Promise<TokenLike | undefined> };
    RefreshToken: { find(value: string): Promise<TokenLike | undefined> };
    Grant: new (props: { accountId: string; clientId: string }) => GrantLike;
  }
}
