import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleStats } from '../test/sampleStats';
import { AnalyticsDashboard, funnel } from './AnalyticsDashboard';

// uPlot draws on a canvas, which jsdom does not have: the fake records what the chart was given
const plots = vi.hoisted(() => [] as { options: { series: { label?: string }[] }; data: number[][] }[]);
vi.mock('uplot', () => ({
  default: class {
    constructor(options: { series: { label?: string }[] }, data: number[][]) {
      plots.push({ options, data });
    }
    setData() {}
    setSize() {}
    destroy() {}
  },
}));

afterEach(() => {
  cleanup();
  plots.length = 0;
});

/** The value shown under a figure's label. */
function figure(label: string): string {
  const term = screen.getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent ?? '';
}

describe('AnalyticsDashboard', () => {
  it('shows the audience figures of a live session', () => {
    render(<AnalyticsDashboard stats={sampleStats()} />);
    expect(screen.getByRole('heading', { level: 1, name: 'Friday AMA: analytics' })).toBeTruthy();
    expect(screen.getByText('Live')).toBeTruthy();
    expect(figure('Watching now')).toBe('42');
    expect(figure('Peak concurrent')).toMatch(/^57at /);
    expect(figure('Unique viewers')).toBe('120');
    expect(figure('Views')).toBe('133');
    expect(figure('Watch time')).toBe('20 h 05 min');
    expect(figure('Average view')).toBe('9 min 15 s');
    expect(figure('Median view')).toBe('7 min 00 s');
  });

  it('shows devices and regions as shares of the unique viewers', () => {
    render(<AnalyticsDashboard stats={sampleStats()} />);
    const devices = within(screen.getByRole('region', { name: 'Devices' }));
    expect(devices.getAllByRole('row').map((r) => r.textContent)).toEqual([
      'DeviceViewersOf unique viewers',
      'desktop8066.7%',
      'mobile5041.7%',
    ]);
    const regions = within(screen.getByRole('region', { name: 'Top regions' }));
    expect(regions.getAllByRole('row').map((r) => r.textContent)).toEqual([
      'RegionViewersOf unique viewers',
      'DE6050%',
      'FR3025%',
    ]);
  });

  it('shows chat and reaction rates', () => {
    render(<AnalyticsDashboard stats={sampleStats()} />);
    expect(figure('Chat messages')).toBe('300');
    expect(figure('Messages per viewer')).toBe('2.5');
    expect(figure('Messages per minute')).toBe('100busiest minute: 160');
    expect(figure('Reactions')).toBe('450');
    expect(figure('Reactions per viewer-minute')).toBe('0.37');
    const byType = within(screen.getByRole('table', { name: 'Reactions by type' }));
    expect(byType.getAllByRole('row').map((r) => r.textContent)).toEqual(['ReactionCount', 'clap300', 'heart150']);
  });

  it('shows the stage funnel and talk time', () => {
    render(<AnalyticsDashboard stats={sampleStats()} />);
    const stage = within(screen.getByRole('region', { name: 'Stage funnel' }));
    expect(stage.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Unique viewers120100%',
      'Raised a hand1210%',
      'Approved on stage65%',
      'Spoke32.5%',
    ]);
    expect(stage.getByText(/participation rate/).textContent).toContain('5%');
    expect(stage.getByText(/participation rate/).textContent).toContain('14 requests to speak, 7 approvals');
    const talk = within(stage.getByRole('table', { name: 'Talk time' }));
    expect(talk.getAllByRole('row').map((r) => r.textContent)).toEqual([
      'SpeakerTimeShare',
      'Alice20 min 00 s75%',
      'Bob6 min 40 s25%',
    ]);
  });

  it('charts concurrency per minute in time order, with the same figures in a table', async () => {
    render(<AnalyticsDashboard stats={sampleStats()} />);
    await waitFor(() => expect(plots).toHaveLength(1));
    const t0 = Date.parse('2026-12-04T18:00:00Z') / 1000;
    expect(plots[0].data).toEqual([
      [t0, t0 + 60, t0 + 120],
      [5, 20, 57],
    ]);
    expect(plots[0].options.series[1].label).toBe('Concurrent viewers');
    const table = within(screen.getByRole('region', { name: 'Concurrent viewers per minute' }));
    expect(table.getAllByRole('row').slice(1).map((r) => r.lastElementChild?.textContent)).toEqual(['5', '20', '57']);
  });

  it('says when nobody has watched yet, without a chart, and has no "watching now" once ended', () => {
    const empty = sampleStats({
      live: false,
      endedAt: '2026-12-04T18:30:00Z',
      revision: 1,
      audience: {
        concurrent: 0,
        peakConcurrent: 0,
        uniqueViewers: 0,
        views: 0,
        watchTimeMillis: 0,
        averageViewMillis: 0,
        medianViewMillis: 0,
        devices: [],
        topRegions: [],
        concurrencyPerMinute: [],
      },
      chat: { messages: 0, perViewer: 0, perMinute: [] },
      reactions: { total: 0, byType: {}, perViewerMinute: 0 },
      stage: { requests: 0, approvals: 0, raisedHands: 0, approved: 0, spoke: 0, participationRate: 0, talkTime: [] },
    });
    render(<AnalyticsDashboard stats={empty} />);
    expect(screen.getByRole('status').textContent).toContain('Nobody has watched this session yet');
    expect(screen.getByText('Final')).toBeTruthy();
    expect(screen.queryByText('Watching now')).toBeNull();
    expect(screen.getByText('No minutes recorded yet.')).toBeTruthy();
    expect(screen.getByText('No devices recorded yet.')).toBeTruthy();
    expect(screen.queryByTestId('concurrency-chart')).toBeNull();
    expect(figure('Watch time')).toBe('0 s');
    expect(plots).toHaveLength(0);
  });

  it('computes funnel shares of the unique viewers, zero without viewers', () => {
    expect(funnel(sampleStats()).map((s) => s.share)).toEqual([1, 0.1, 0.05, 0.025]);
    expect(funnel(sampleStats({ audience: { uniqueViewers: 0 } })).map((s) => s.share)).toEqual([0, 0, 0, 0]);
  });
});
