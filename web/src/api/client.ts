import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components as AnalyticsComponents, paths as AnalyticsPaths } from './generated/analytics-service';
import type { paths as ChatPaths } from './generated/chat-service';
import type { paths as RecordingPaths } from './generated/recording-service';
import type { components as SessionComponents, paths as SessionPaths } from './generated/session-service';
import type { paths as TokenPaths } from './generated/token-service';
import type { paths as TranscriptionPaths } from './generated/transcription-service';

export type SessionStats = AnalyticsComponents['schemas']['SessionStats'];
export type SessionResponse = SessionComponents['schemas']['SessionResponse'];
export type SessionPage = SessionComponents['schemas']['SessionPage'];
export type SessionStatus = SessionComponents['schemas']['SessionStatus'];

/** Where the current access token comes from: null when nobody is signed in (anonymous requests). */
export type TokenSource = () => Promise<string | null>;

/**
 * Adds `Authorization: Bearer <token>` to every request when a token is available, and leaves a header the caller
 * set alone. A 401 on a request that carried a token is reported to `onUnauthorized` (the token was revoked or
 * expired early): the caller can drop the session so the next request goes anonymously or signs in again.
 */
export function bearerTokenMiddleware(token: TokenSource, onUnauthorized?: () => void): Middleware {
  const sentToken = new WeakSet<Request>();
  return {
    async onRequest({ request }) {
      if (request.headers.has('Authorization')) {
        return request;
      }
      const value = await token();
      if (value) {
        request.headers.set('Authorization', `Bearer ${value}`);
        sentToken.add(request);
      }
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && sentToken.has(request)) {
        onUnauthorized?.();
      }
      return response;
    },
  };
}

export interface Api {
  sessions: Client<SessionPaths>;
  chat: Client<ChatPaths>;
  transcription: Client<TranscriptionPaths>;
  recording: Client<RecordingPaths>;
  analytics: Client<AnalyticsPaths>;
  tokens: Client<TokenPaths>;
}

export interface ApiOptions {
  /** the gateway's origin; the page's own origin by default (the gateway serves the app; `npm run dev` proxies) */
  baseUrl?: string;
  token: TokenSource;
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

/** One typed client per service, all on the gateway (every service's paths are under the gateway's routes). */
export function createApi(options: ApiOptions): Api {
  const baseUrl = options.baseUrl ?? globalThis.location?.origin ?? '';
  const middleware = bearerTokenMiddleware(options.token, options.onUnauthorized);
  const client = <P extends {}>(): Client<P> => {
    const c = createClient<P>({ baseUrl, fetch: options.fetch });
    c.use(middleware);
    return c;
  };
  return {
    sessions: client<SessionPaths>(),
    chat: client<ChatPaths>(),
    transcription: client<TranscriptionPaths>(),
    recording: client<RecordingPaths>(),
    analytics: client<AnalyticsPaths>(),
    tokens: client<TokenPaths>(),
  };
}

/** A readable message from an openapi-fetch error body (RFC 9457 problem+json), else the HTTP status. */
export function problemMessage(error: unknown, response: Response): string {
  const problem = error as { detail?: string; title?: string } | undefined;
  return problem?.detail ?? problem?.title ?? `HTTP ${response.status}`;
}
