/**
 * RFC 9457 problem+json as the services send it (platform `Problem`): `detail`, `field` (the first input that failed,
 * a JSON path such as `settings.maxGuests`) and `errors` (every failed input).
 */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  errors?: { field?: string; message?: string }[];
}

export interface ProblemErrors {
  /** message per failing field (JSON path), e.g. `{ 'settings.maxGuests': 'must be between 0 and 20' }` */
  fields: Record<string, string>;
  /** the problem's detail (or title, or the HTTP status) for a summary */
  message: string;
}

/** The field errors of an error body (openapi-fetch's `error`), for showing each next to its input. */
export function problemErrors(error: unknown, status: number): ProblemErrors {
  const problem = (error && typeof error === 'object' ? error : {}) as ProblemBody;
  const fields: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    if (e.field && !(e.field in fields)) {
      fields[e.field] = e.message ?? 'is not valid';
    }
  }
  const message = problem.detail ?? problem.title ?? `HTTP ${status}`;
  if (problem.field && !(problem.field in fields)) {
    // a service rule (not bean validation): the detail is the message, naming the field
    fields[problem.field] = problem.detail ?? problem.title ?? 'is not valid';
  }
  return { fields, message };
}
