import type { SessionStats } from '../api/client';
import { formatCount, formatDuration, formatInstant, formatPercent, formatRate } from '../format';
import { ConcurrencyChart } from './ConcurrencyChart';

type Count = { name?: string; count?: number };

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        <span className="figure-value">{value}</span>
        {note && <span className="figure-note">{note}</span>}
      </dd>
    </div>
  );
}

function CountList({ title, counts, total, empty }: { title: string; counts: Count[]; total: number; empty: string }) {
  const id = `list-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="panel">
      <h3 id={id}>{title}</h3>
      {counts.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{title === 'Devices' ? 'Device' : 'Region'}</th>
              <th scope="col">Viewers</th>
              <th scope="col">Of unique viewers</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{formatCount(c.count)}</td>
                <td>{formatPercent(total > 0 ? (c.count ?? 0) / total : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The funnel steps as shares of the unique viewers. */
export function funnel(stats: SessionStats): { step: string; count: number; share: number }[] {
  const viewers = stats.audience?.uniqueViewers ?? 0;
  const stage = stats.stage ?? {};
  const steps: [string, number][] = [
    ['Unique viewers', viewers],
    ['Raised a hand', stage.raisedHands ?? 0],
    ['Approved on stage', stage.approved ?? 0],
    ['Spoke', stage.spoke ?? 0],
  ];
  return steps.map(([step, count]) => ({ step, count, share: viewers > 0 ? count / viewers : 0 }));
}

/**
 * One session's statistics (docs/adr/0016-analytics.md): audience, concurrency per minute, devices and regions,
 * chat and reactions, the stage funnel and talk time. Renders whatever SessionStats it is given; the page keeps it
 * current from the server-sent events.
 */
export function AnalyticsDashboard({ stats }: { stats: SessionStats }) {
  const audience = stats.audience ?? {};
  const chat = stats.chat ?? {};
  const reactions = stats.reactions ?? {};
  const stage = stats.stage ?? {};
  const devices = audience.devices ?? [];
  // a viewer is counted in every device and region they watched from: shares are of the unique viewers
  const uniqueViewers = audience.uniqueViewers ?? 0;
  const regions = audience.topRegions ?? [];
  const perMinute = chat.perMinute ?? [];
  const busiestChatMinute = perMinute.reduce((max, p) => Math.max(max, p.value ?? 0), 0);
  const chatPerMinute = perMinute.length > 0 ? (chat.messages ?? 0) / perMinute.length : 0;
  const byType = Object.entries(reactions.byType ?? {}).sort((a, b) => b[1] - a[1]);
  const talkTime = stage.talkTime ?? [];
  const nobody = (audience.views ?? 0) === 0 && (audience.uniqueViewers ?? 0) === 0;

  return (
    <article className="dashboard" aria-labelledby="dashboard-title">
      <header className="dashboard-header">
        <h1 id="dashboard-title">{stats.title || 'Session'}: analytics</h1>
        <p>
          {stats.live ? (
            <span className="badge badge-live">Live</span>
          ) : (
            <span className="badge">{(stats.revision ?? 0) > 0 ? 'Final' : 'Ended'}</span>
          )}{' '}
          {stats.startedAt && <>Started {formatInstant(stats.startedAt)}</>}
          {stats.endedAt && <>, ended {formatInstant(stats.endedAt)}</>}
          {stats.durationSeconds !== undefined && <> · {formatDuration(stats.durationSeconds * 1000)}</>}
        </p>
      </header>

      {nobody && (
        <p className="empty" role="status">
          Nobody has watched this session yet. The figures fill in as viewers join.
        </p>
      )}

      <section aria-labelledby="audience-title" className="panel">
        <h2 id="audience-title">Audience</h2>
        <dl className="figures">
          {stats.live && <Figure label="Watching now" value={formatCount(audience.concurrent)} />}
          <Figure
            label="Peak concurrent"
            value={formatCount(audience.peakConcurrent)}
            note={audience.peakAt ? `at ${formatInstant(audience.peakAt)}` : undefined}
          />
          <Figure label="Unique viewers" value={formatCount(audience.uniqueViewers)} />
          <Figure label="Views" value={formatCount(audience.views)} />
          <Figure label="Watch time" value={formatDuration(audience.watchTimeMillis)} />
          <Figure label="Average view" value={formatDuration(audience.averageViewMillis)} />
          <Figure label="Median view" value={formatDuration(audience.medianViewMillis)} />
        </dl>
      </section>

      <section aria-labelledby="concurrency-title" className="panel">
        <h2 id="concurrency-title">Concurrent viewers per minute</h2>
        {(audience.concurrencyPerMinute ?? []).length === 0 ? (
          <p className="muted">No minutes recorded yet.</p>
        ) : (
          <ConcurrencyChart points={audience.concurrencyPerMinute ?? []} />
        )}
      </section>

      <div className="columns">
        <CountList title="Devices" counts={devices} total={uniqueViewers} empty="No devices recorded yet." />
        <CountList title="Top regions" counts={regions} total={uniqueViewers} empty="No regions recorded yet." />
      </div>

      <section aria-labelledby="engagement-title" className="panel">
        <h2 id="engagement-title">Engagement</h2>
        <dl className="figures">
          <Figure label="Chat messages" value={formatCount(chat.messages)} />
          <Figure label="Messages per viewer" value={formatRate(chat.perViewer)} />
          <Figure label="Messages per minute" value={formatRate(chatPerMinute)} note={`busiest minute: ${formatCount(busiestChatMinute)}`} />
          <Figure label="Reactions" value={formatCount(reactions.total)} />
          <Figure label="Reactions per viewer-minute" value={formatRate(reactions.perViewerMinute)} />
        </dl>
        {byType.length > 0 && (
          <table>
            <caption>Reactions by type</caption>
            <thead>
              <tr>
                <th scope="col">Reaction</th>
                <th scope="col">Count</th>
              </tr>
            </thead>
            <tbody>
              {byType.map(([type, count]) => (
                <tr key={type}>
                  <td>{type}</td>
                  <td>{formatCount(count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="stage-title" className="panel">
        <h2 id="stage-title">Stage funnel</h2>
        <ol className="funnel">
          {funnel(stats).map((s) => (
            <li key={s.step}>
              <span className="funnel-step">{s.step}</span>
              <span className="funnel-count">{formatCount(s.count)}</span>
              <span className="funnel-share">{formatPercent(s.share)}</span>
              <span className="funnel-bar" style={{ width: `${Math.round(s.share * 100)}%` }} aria-hidden="true" />
            </li>
          ))}
        </ol>
        <p>
          Guest participation rate (approved ÷ unique viewers): {formatPercent(stage.participationRate)}. Counted per
          request: {formatCount(stage.requests)} requests to speak, {formatCount(stage.approvals)} approvals.
        </p>
        {talkTime.length > 0 && (
          <table>
            <caption>Talk time</caption>
            <thead>
              <tr>
                <th scope="col">Speaker</th>
                <th scope="col">Time</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {talkTime.map((s) => (
                <tr key={s.userId}>
                  <td>{s.name || s.userId}</td>
                  <td>{formatDuration((s.seconds ?? 0) * 1000)}</td>
                  <td>{formatPercent(s.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
