/**
 * RFC 9457 problem details from the services (platform-http's `Problem`: `detail`, `title`, `status`, `field` = the
 * first input that failed, `errors[]` = every failing field) turned into one line for the user, with the field named.
 */
export interface ApiProblem {
  message: string;
  field?: string;
}

interface ProblemBody {
  title?: string;
  detail?: string;
  status?: number;
  field?: string;
  errors?: { field?: string; message?: string }[];
}

/** The problem an openapi-fetch call answered (`error` is its parsed body), or a network failure. */
export function toProblem(error: unknown, response?: Response): ApiProblem {
  if (error instanceof Error) {
    return { message: error.message || 'The request failed' };
  }
  const body = (typeof error === 'object' && error !== null ? error : {}) as ProblemBody;
  const field = body.field ?? body.errors?.find((e) => e.field)?.field;
  const message =
    body.detail ??
    body.errors?.find((e) => e.message)?.message ??
    body.title ??
    (response ? `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` : 'The request failed');
  return field ? { message, field } : { message };
}

/** The text shown for a problem: the message, then the field when the message does not already name it. */
export function problemText(problem: ApiProblem): string {
  if (problem.field && !problem.message.includes(problem.field)) {
    return `${problem.message} (field: ${problem.field})`;
  }
  return problem.message;
}

/** A problem shown next to the control that caused it; announced to screen readers. */
export function ProblemMessage({ problem, id }: { problem: ApiProblem | null | undefined; id?: string }) {
  if (!problem) {
    return null;
  }
  return (
    <p className="room-problem" role="alert" id={id}>
      {problemText(problem)}
    </p>
  );
}

/**
 * Runs one openapi-fetch call: resolves to its data, or throws an `ApiProblemError` carrying the problem (a network
 * failure included), so a control can `catch` and show it.
 */
export class ApiProblemError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problemText(problem));
    this.name = 'ApiProblemError';
  }
}

export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (error) {
    throw new ApiProblemError(toProblem(error instanceof Error ? error : new Error(String(error))));
  }
  if (!result.response.ok) {
    throw new ApiProblemError(toProblem(result.error, result.response));
  }
  return result.data;
}

export function problemOf(error: unknown): ApiProblem {
  return error instanceof ApiProblemError ? error.problem : toProblem(error instanceof Error ? error : new Error(String(error)));
}
