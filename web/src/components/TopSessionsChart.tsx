import { useRef } from 'react';
import type { components } from '../api/generated/analytics-service';
import { useTimeChart } from './useTimeChart';

export type TopSession = components['schemas']['TopSession'];

/** x (start, Unix seconds), unique viewers and peak concurrent per session, in time order. */
export function toSessionSeries(sessions: TopSession[]): [number[], number[], number[]] {
  const points = sessions
    .map((s) => ({ t: Date.parse(s.startedAt ?? '') / 1000, u: s.uniqueViewers ?? 0, p: s.peakConcurrent ?? 0 }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  return [points.map((p) => p.t), points.map((p) => p.u), points.map((p) => p.p)];
}

/**
 * The top sessions over time (uPlot, loaded on demand): each session at its start, its unique viewers and peak.
 * Decorative for screen readers: the same figures are in the top sessions table next to it.
 */
export function TopSessionsChart({ sessions }: { sessions: TopSession[] }) {
  const container = useRef<HTMLDivElement>(null);
  const failed = useTimeChart(
    container,
    [
      { label: 'Unique viewers', stroke: '#1d4ed8', width: 2, points: { show: true, size: 8 } },
      { label: 'Peak concurrent', stroke: '#b45309', width: 2, dash: [6, 4], points: { show: true, size: 8 } },
    ],
    toSessionSeries(sessions),
  );

  return (
    <figure className="chart">
      <div ref={container} className="chart-canvas" aria-hidden="true" data-testid="top-sessions-chart" />
      {failed && <p role="status">The chart could not be drawn; the figures are in the table.</p>}
      <figcaption className="muted">Top sessions by start time: unique viewers (solid) and peak concurrent viewers (dashed).</figcaption>
    </figure>
  );
}
