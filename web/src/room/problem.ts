/** A readable line from an RFC 9457 problem+json body (livestage adds `field` and `errors`), else the HTTP status. */
export function problemText(error: unknown, response?: Response): string {
  const p = (error ?? {}) as {
    detail?: string;
    title?: string;
    field?: string;
    errors?: { field?: string; message?: string }[];
  };
  const base = p.detail ?? p.title ?? (response ? `HTTP ${response.status}` : 'Request failed');
  const fields = (p.errors ?? []).filter((e) => e.field && e.message).map((e) => `${e.field}: ${e.message}`);
  if (fields.length > 0) {
    return `${base} (${fields.join('; ')})`;
  }
  return p.field ? `${base} (field: ${p.field})` : base;
}
