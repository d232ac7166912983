/** "1 h 02 min", "3 min 20 s", "45 s", "0 s": durations as hosts read them. */
export function formatDuration(millis: number | undefined | null): string {
  const total = Math.max(0, Math.round((millis ?? 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) {
    return `${h} h ${String(m).padStart(2, '0')} min`;
  }
  if (m > 0) {
    return `${m} min ${String(s).padStart(2, '0')} s`;
  }
  return `${s} s`;
}

const number = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

export const formatCount = (n: number | undefined | null) => number.format(n ?? 0);
export const formatRate = (n: number | undefined | null) => decimal.format(n ?? 0);
export const formatPercent = (fraction: number | undefined | null) => percent.format(fraction ?? 0);

/** An ISO instant in the reader's time zone, e.g. "6 Dec 2026, 14:05"; "" when absent. */
export function formatInstant(iso: string | undefined | null): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "14:05" (minutes of a chart), in the reader's time zone. */
export function formatMinute(iso: string | undefined | null): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}
