import { useRef } from 'react';
import type { SessionStats } from '../api/client';
import { formatCount, formatMinute } from '../format';
import { useTimeChart } from './useTimeChart';

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
  const series = toSeries(points);
  const failed = useTimeChart(
    container,
    [{ label: 'Concurrent viewers', stroke: '#2563eb', fill: 'rgba(37, 99, 235, 0.12)', width: 2 }],
    series,
  );

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
