import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import type { components } from '../api/generated/recording-service';
import { formatClock } from './webvtt';
import { problemErrors } from './problem';

export type Episode = components['schemas']['Episode'];

export const EPISODE_LIMITS = { title: 200, descriptionBytes: 4000, chapters: 100, chapterTitle: 200 } as const;

const bytes = (s: string) => new TextEncoder().encode(s).length;

/** recording-service's episode edit rules (EpisodeEdits), keyed by the field it names. */
export function validateEpisodeEdit(title: string, description: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!title.trim()) {
    errors.title = 'Give the episode a title.';
  } else if (title.length > EPISODE_LIMITS.title) {
    errors.title = `At most ${EPISODE_LIMITS.title} characters.`;
  }
  if (bytes(description) > EPISODE_LIMITS.descriptionBytes) {
    errors.description = `At most ${EPISODE_LIMITS.descriptionBytes} bytes (now ${bytes(description)}).`;
  }
  return errors;
}

/** "1:02:03", "2:03" or "123.5" (seconds) as seconds; null when it is none of them. */
export function parseClock(value: string): number | null {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    return Number(v);
  }
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})(\.\d+)?$/.exec(v);
  if (!m || Number(m[3]) >= 60 || (m[1] !== undefined && Number(m[2]) >= 60)) {
    return null;
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0);
}

export interface ChapterRow {
  start: string;
  title: string;
}

/** The chapters' rules (at most 100, ascending, within the episode, one-line titles of 1-200 characters). */
export function validateChapters(rows: ChapterRow[], durationSeconds: number): Record<string, string> {
  const errors: Record<string, string> = {};
  if (rows.length > EPISODE_LIMITS.chapters) {
    errors.chapters = `At most ${EPISODE_LIMITS.chapters} chapters.`;
  }
  let previous = -1;
  rows.forEach((row, i) => {
    const at = parseClock(row.start);
    if (at === null) {
      errors[`chapters[${i}].startTime`] = 'A time such as 2:03 or 1:02:03.';
    } else if (at > durationSeconds) {
      errors[`chapters[${i}].startTime`] = `After the episode's end (${formatClock(durationSeconds)}).`;
    } else if (at < previous) {
      errors[`chapters[${i}].startTime`] = 'Chapters go in order of their start.';
    } else {
      previous = at;
    }
    if (!row.title.trim()) {
      errors[`chapters[${i}].title`] = 'Give the chapter a title.';
    } else if (row.title.length > EPISODE_LIMITS.chapterTitle) {
      errors[`chapters[${i}].title`] = `At most ${EPISODE_LIMITS.chapterTitle} characters.`;
    }
  });
  return errors;
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="field-error">
      {error}
    </p>
  ) : null;
}

/** The host's controls on an episode: publish/unpublish, title and description, chapters. */
export function EpisodeOwnerTools({ episode, onChange }: { episode: Episode; onChange: (next: Episode) => void }) {
  const api = useApi();
  const id = episode.id ?? '';
  const base = useId();
  const [title, setTitle] = useState(episode.title ?? '');
  const [description, setDescription] = useState(episode.description ?? '');
  const [editErrors, setEditErrors] = useState<Record<string, string>>({});
  const [rows, setRows] = useState<ChapterRow[]>(() =>
    (episode.chapters ?? []).map((c) => ({ start: formatClock(c.startTime ?? 0), title: c.title ?? '' })),
  );
  const [chapterErrors, setChapterErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const published = episode.status === 'PUBLISHED';

  const run = async (what: string, call: () => Promise<{ data?: Episode; error?: unknown; response: Response }>) => {
    setBusy(true);
    setMessage(null);
    try {
      const { data, error, response } = await call();
      if (data) {
        onChange(data);
        setMessage({ text: what, error: false });
        return { ok: true as const, fields: {} };
      }
      const problem = problemErrors(error, response.status);
      setMessage({ text: problem.message, error: true });
      return { ok: false as const, fields: problem.fields };
    } catch (e) {
      setMessage({ text: e instanceof Error ? e.message : String(e), error: true });
      return { ok: false as const, fields: {} };
    } finally {
      setBusy(false);
    }
  };

  const togglePublished = () =>
    void run(published ? 'Unpublished: the episode left the feeds.' : 'Published: the episode is in the feeds.', () =>
      published
        ? api.recording.POST('/api/episodes/{id}/unpublish', { params: { path: { id } } })
        : api.recording.POST('/api/episodes/{id}/publish', { params: { path: { id } } }),
    );

  const saveDetails = async (e: FormEvent) => {
    e.preventDefault();
    const errors = validateEpisodeEdit(title, description);
    setEditErrors(errors);
    if (Object.keys(errors).length > 0) {
      return;
    }
    const body: { title?: string; description?: string } = {};
    if (title.trim() !== (episode.title ?? '')) {
      body.title = title.trim();
    }
    if (description !== (episode.description ?? '')) {
      body.description = description;
    }
    if (Object.keys(body).length === 0) {
      setMessage({ text: 'Nothing changed.', error: false });
      return;
    }
    const result = await run('Details saved.', () =>
      api.recording.PATCH('/api/episodes/{id}', { params: { path: { id } }, body: body as never }),
    );
    setEditErrors(result.fields);
  };

  const saveChapters = async (e: FormEvent) => {
    e.preventDefault();
    const errors = validateChapters(rows, (episode.durationMillis ?? 0) / 1000);
    setChapterErrors(errors);
    if (Object.keys(errors).length > 0) {
      return;
    }
    const chapters = rows.map((r) => ({ startTime: parseClock(r.start) as number, title: r.title.trim() }));
    const result = await run('Chapters saved.', () =>
      api.recording.PUT('/api/episodes/{id}/chapters', { params: { path: { id } }, body: { chapters } as never }),
    );
    setChapterErrors(result.fields);
  };

  const setRow = (i: number, change: Partial<ChapterRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));

  return (
    <section aria-labelledby={`${base}-owner`} className="panel owner-tools">
      <h2 id={`${base}-owner`}>Your episode</h2>
      <p>
        Status: <strong>{episode.status?.toLowerCase()}</strong> · visibility {episode.visibility?.toLowerCase()}{' '}
        <button type="button" disabled={busy} onClick={togglePublished}>
          {published ? 'Unpublish' : 'Publish'}
        </button>
      </p>
      <div role="status" aria-live="polite">
        {message && <p className={message.error ? 'form-error' : 'saved'}>{message.text}</p>}
      </div>
      <form onSubmit={(e) => void saveDetails(e)} noValidate>
        <div className="field">
          <label htmlFor={`${base}-title`}>Episode title</label>
          <input
            id={`${base}-title`}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={editErrors.title ? true : undefined}
            aria-describedby={editErrors.title ? `${base}-title-error` : undefined}
          />
          <FieldError id={`${base}-title-error`} error={editErrors.title} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-description`}>Episode description</label>
          <textarea
            id={`${base}-description`}
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={editErrors.description ? true : undefined}
            aria-describedby={editErrors.description ? `${base}-description-error` : undefined}
          />
          <FieldError id={`${base}-description-error`} error={editErrors.description} />
        </div>
        <button type="submit" disabled={busy}>
          Save details
        </button>
      </form>
      <form onSubmit={(e) => void saveChapters(e)} noValidate className="chapter-editor">
        <fieldset>
          <legend>Edit chapters</legend>
          {chapterErrors.chapters && <p className="field-error">{chapterErrors.chapters}</p>}
          {rows.map((row, i) => {
            const startError = chapterErrors[`chapters[${i}].startTime`];
            const titleError = chapterErrors[`chapters[${i}].title`];
            return (
              <div key={i} className="chapter-row">
                <div className="field">
                  <label htmlFor={`${base}-c${i}-start`}>Chapter {i + 1} start</label>
                  <input
                    id={`${base}-c${i}-start`}
                    value={row.start}
                    onChange={(e) => setRow(i, { start: e.target.value })}
                    aria-invalid={startError ? true : undefined}
                    aria-describedby={startError ? `${base}-c${i}-start-error` : undefined}
                  />
                  <FieldError id={`${base}-c${i}-start-error`} error={startError} />
                </div>
                <div className="field">
                  <label htmlFor={`${base}-c${i}-title`}>Chapter {i + 1} title</label>
                  <input
                    id={`${base}-c${i}-title`}
                    value={row.title}
                    onChange={(e) => setRow(i, { title: e.target.value })}
                    aria-invalid={titleError ? true : undefined}
                    aria-describedby={titleError ? `${base}-c${i}-title-error` : undefined}
                  />
                  <FieldError id={`${base}-c${i}-title-error`} error={titleError} />
                </div>
                <button type="button" className="secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                  Remove chapter {i + 1}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="secondary"
            disabled={rows.length >= EPISODE_LIMITS.chapters}
            onClick={() => setRows((rs) => [...rs, { start: rs.length ? rs[rs.length - 1].start : '0:00', title: '' }])}
          >
            Add chapter
          </button>{' '}
          <button type="submit" disabled={busy}>
            Save chapters
          </button>
        </fieldset>
      </form>
    </section>
  );
}
