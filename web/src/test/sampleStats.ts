import type { SessionStats } from '../api/client';

/** A live session's statistics as analytics-service sends them (events/.../SessionStats.java). */
export function sampleStats(overrides: Partial<SessionStats> = {}): SessionStats {
  return {
    sessionId: 's-1',
    title: 'Friday AMA',
    hostId: 'alice',
    spaceId: 'space-1',
    startedAt: '2026-12-04T18:00:00Z',
    live: true,
    durationSeconds: 1800,
    audience: {
      concurrent: 42,
      peakConcurrent: 57,
      peakAt: '2026-12-04T18:12:30Z',
      uniqueViewers: 120,
      views: 133,
      watchTimeMillis: 3_600_000 * 20 + 60_000 * 5,
      averageViewMillis: 9 * 60_000 + 15_000,
      medianViewMillis: 7 * 60_000,
      devices: [
        { name: 'desktop', count: 80 },
        { name: 'mobile', count: 50 },
      ],
      topRegions: [
        { name: 'DE', count: 60 },
        { name: 'FR', count: 30 },
      ],
      concurrencyPerMinute: [
        { minute: '2026-12-04T18:01:00Z', value: 20 },
        { minute: '2026-12-04T18:00:00Z', value: 5 },
        { minute: '2026-12-04T18:02:00Z', value: 57 },
      ],
    },
    chat: {
      messages: 300,
      perViewer: 2.5,
      perMinute: [
        { minute: '2026-12-04T18:00:00Z', value: 40 },
        { minute: '2026-12-04T18:01:00Z', value: 160 },
        { minute: '2026-12-04T18:02:00Z', value: 100 },
      ],
    },
    reactions: { total: 450, byType: { clap: 300, heart: 150 }, perViewerMinute: 0.3712 },
    stage: {
      requests: 14,
      approvals: 7,
      raisedHands: 12,
      approved: 6,
      spoke: 3,
      participationRate: 0.05,
      talkTime: [
        { userId: 'alice', name: 'Alice', seconds: 1200, share: 0.75 },
        { userId: 'bob', name: 'Bob', seconds: 400, share: 0.25 },
      ],
    },
    revision: 0,
    ...overrides,
  };
}
