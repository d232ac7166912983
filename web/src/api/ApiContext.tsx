import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useAuth } from '../auth/auth';
import { createApi, type Api } from './client';

const ApiContext = createContext<Api | null>(null);

/** The typed API clients with the signed-in user's token (none for anonymous visitors). */
export function ApiProvider({ children, baseUrl }: { children: ReactNode; baseUrl?: string }) {
  const { accessToken, dropSession } = useAuth();
  const api = useMemo(
    () => createApi({ baseUrl, token: accessToken, onUnauthorized: dropSession }),
    [baseUrl, accessToken, dropSession],
  );
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) {
    throw new Error('useApi outside <ApiProvider>');
  }
  return api;
}
