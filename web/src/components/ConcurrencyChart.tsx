import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SessionStats } from '../api/client';
import { formatCount, formatMinute } from '../format';

type Point = NonNullable<NonNullable<SessionStats['audience']>['concurrencyPerMinute']>[number];

/** x (Unix seconds) and y (viewers) series for uPlot, in time order. */
export function toSeries(points: Point[]): [number[], number[]] {
  const sorted = points
    .filter((p) => p.minute)
    .map((p) => ({ t: Date.parse(p.minute as string) / 1000, v: p.value ?? 0 }))
    .filter((p) => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  return [sorted.map((p) => p.t), sorted.map((p) => p.v)];
}

/**
 * Concurrent viewers per minute: a uPlot line chart (loaded on demand, so it is not in the first bundle), with the
 * same figures in a table for screen readers and keyboard users.
 */
export function ConcurrencyChart({ points }: { points: Point[] }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [failed, setFailed] = useState(false);
  const series = toSeries(points);

  useEffect(() => {
    let cancelled = false;
    const element = container.current;
    if (!element) {
      return;
    }
    void import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled) {
          return;
        }
        const width = Math.max(280, element.clientWidth || 600);
        if (plot.current) {
          plot.current.setData(series);
          plot.current.setSize({ width, height: 220 });
          return;
        }
        plot.current = new UPlot(
          {
            width,
            height: 220,
            scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
            axes: [{}, { label: 'viewers' }],
            series: [{}, { label: 'Concurrent viewers', stroke: '#2563eb', fill: 'rgba(37, 99, 235, 0.12)', width: 2 }],
          },
          series,
          element,
        );
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
    // series is derived from points: redraw when they change
  }, [points]);

  useEffect(() => {
    // follow the container's width (a phone turned sideways, a resized window)
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
      <div ref={container} className="chart-canvas" aria-hidden="true" data-testid="concurrency-chart" />
      {failed && <p role="status">The chart could not be drawn; the figures are in the table below.</p>}
      <figcaption>
        <details>
          <summary>Concurrent viewers per minute (table)</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Minute</th>
                <th scope="col">Viewers</th>
              </tr>
            </thead>
            <tbody>
              {series[0].map((t, i) => (
                <tr key={t}>
                  <td>{formatMinute(new Date(t * 1000).toISOString())}</td>
                  <td>{formatCount(series[1][i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
