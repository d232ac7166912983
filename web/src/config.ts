/**
 * What the app needs to know about its deployment, read at start-up from the gateway's `GET /web-config.json`
 * (the identity provider the gateway itself trusts, so tokens carry the issuer the services expect). When the
 * gateway does not answer it (a static host, an old gateway), the build-time default applies:
 * VITE_OIDC_AUTHORITY, else http://localhost:8180/realms/livestage (the local stack's Keycloak realm).
 */
export interface WebConfig {
  /** the OpenID provider (Keycloak realm URL); null when this deployment has none: sign-in is then unavailable */
  oidcAuthority: string | null;
  oidcClientId: string;
}

export const DEFAULT_CONFIG: WebConfig = {
  oidcAuthority: import.meta.env.VITE_OIDC_AUTHORITY || 'http://localhost:8180/realms/livestage',
  oidcClientId: import.meta.env.VITE_OIDC_CLIENT_ID || 'livestage-web',
};

export async function loadConfig(fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<WebConfig> {
  try {
    const response = await fetchImpl('/web-config.json', { headers: { Accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('Content-Type') ?? '').includes('json')) {
      return DEFAULT_CONFIG;
    }
    const body = (await response.json()) as Partial<WebConfig>;
    return {
      oidcAuthority: body.oidcAuthority === undefined ? DEFAULT_CONFIG.oidcAuthority : body.oidcAuthority,
      oidcClientId: body.oidcClientId || DEFAULT_CONFIG.oidcClientId,
    };
  } catch {
    return DEFAULT_CONFIG;
  }
}
