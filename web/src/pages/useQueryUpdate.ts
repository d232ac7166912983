import { useSearchParams } from 'react-router-dom';

/**
 * The page's query string and a way to change some of its parameters at once: a value sets it, null or '' removes it,
 * the others stay (filters live in the URL, so a reload or a shared link shows the same page).
 */
export function useQueryUpdate(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) {
        next.set(k, v);
      } else {
        next.delete(k);
      }
    }
    setParams(next);
  };
  return [params, update];
}
