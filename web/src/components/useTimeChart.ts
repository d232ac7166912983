import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT = 220;

/**
 * A uPlot time chart in `container` (uPlot is loaded on demand, so it is not in the first bundle): drawn with `series`
 * and the y axis from 0, redrawn when `data` changes, resized with the window, destroyed on unmount. Returns whether
 * drawing failed (the caller then says the figures are in its table).
 */
export function useTimeChart(
  container: React.RefObject<HTMLDivElement | null>,
  series: uPlot.Series[],
  data: uPlot.AlignedData,
): boolean {
  const plot = useRef<uPlot | null>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(data);

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
          plot.current.setData(data);
          plot.current.setSize({ width, height: HEIGHT });
          return;
        }
        plot.current = new UPlot(
          {
            width,
            height: HEIGHT,
            scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
            axes: [{}, { label: 'viewers' }],
            series: [{}, ...series],
          },
          data,
          element,
        );
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
    // redraw when the figures change (data is compared by value)
  }, [key]);

  useEffect(() => {
    // follow the container's width (a phone turned sideways, a resized window)
    const resize = () => {
      const width = container.current?.clientWidth;
      if (plot.current && width) {
        plot.current.setSize({ width: Math.max(280, width), height: HEIGHT });
      }
    };
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [container]);

  return failed;
}
