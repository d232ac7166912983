import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { components } from '../api/generated/analytics-service';

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
  const plot = useRef<uPlot | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const element = container.current;
    if (!element) {
      return;
    }
    const data = toSessionSeries(sessions);
    void import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) {
          return;
        }
        const width = Math.max(280, element.clientWidth || 600);
        plot.current?.destroy();
        plot.current = new UPlot(
          {
            width,
            height: 220,
            scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
            axes: [{}, { label: 'viewers' }],
            series: [
              {},
              { label: 'Unique viewers', stroke: '#1d4ed8', width: 2, points: { show: true, size: 8 } },
              { label: 'Peak concurrent', stroke: '#b45309', width: 2, dash: [6, 4], points: { show: true, size: 8 } },
            ],
          },
          data,
          element,
        );
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [sessions]);

  useEffect(() => {
    const resize = () => {
      const width = container.current?.clientWidth;
      if (plot.current && width) {
        plot.current.setSize({ width: Math.max(280, width), height: 220 });
      }
    };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <figure className="chart">
      <div ref={container} className="chart-canvas" aria-hidden="true" data-testid="top-sessions-chart" />
      {failed && <p role="status">The chart could not be drawn; the figures are in the table.</p>}
      <figcaption className="muted">Top sessions by start time: unique viewers (solid) and peak concurrent viewers (dashed).</figcaption>
    </figure>
  );
}
