// @livestage/client: the typed livestage API client for any frontend. It is the web app's own client code
// (web/src/api), packaged: one implementation, so the package cannot drift from what the app is tested with.
import createClient, { type Client } from 'openapi-fetch';
import { bearerTokenMiddleware, type TokenSource } from '../../src/api/client';
import type { paths as AnalyticsPaths } from '../../src/api/generated/analytics-service';
import type { paths as ChatPaths } from '../../src/api/generated/chat-service';
import type { paths as RecordingPaths } from '../../src/api/generated/recording-service';
import type { paths as SessionPaths } from '../../src/api/generated/session-service';
import type { paths as TokenPaths } from '../../src/api/generated/token-service';
import type { paths as TranscriptionPaths } from '../../src/api/generated/transcription-service';

export {
  bearerTokenMiddleware,
  createApi,
  problemMessage,
  type Api,
  type ApiOptions,
  type SessionPage,
  type SessionResponse,
  type SessionStats,
  type SessionStatus,
  type TokenSource,
} from '../../src/api/client';
export type { components as SessionComponents } from '../../src/api/generated/session-service';
export type { components as ChatComponents } from '../../src/api/generated/chat-service';
export type { components as RecordingComponents } from '../../src/api/generated/recording-service';
export type { components as TranscriptionComponents } from '../../src/api/generated/transcription-service';
export type { components as AnalyticsComponents } from '../../src/api/generated/analytics-service';
export type { components as TokenComponents } from '../../src/api/generated/token-service';

/**
 * Every path the gateway serves for the services. The gateway's `/openapi` is the union of the services' documents
 * and no path is documented by two services (the gateway's MergedOpenApiTest checks both), so the intersection of
 * the per-service `paths` types is exactly the merged document's `paths`.
 */
export type LivestagePaths = SessionPaths & ChatPaths & TranscriptionPaths & RecordingPaths & AnalyticsPaths & TokenPaths;

export interface LivestageClientOptions {
  /** the gateway, e.g. `https://live.example.org` */
  baseUrl: string;
  /** the caller's OIDC access token, or null for anonymous requests (PUBLIC sessions, published episodes) */
  token?: TokenSource;
  /** called when a request that carried a token gets a 401 */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

/** One openapi-fetch client for the whole platform: `client.GET('/api/sessions/{id}', { params: { path: { id } } })`. */
export function createLivestageClient(options: LivestageClientOptions): Client<LivestagePaths> {
  const client = createClient<LivestagePaths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  client.use(bearerTokenMiddleware(options.token ?? (async () => null), options.onUnauthorized));
  return client;
}
