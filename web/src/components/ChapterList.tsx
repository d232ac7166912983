import { activeChapterIndex, type Chapter } from './chapters';
import { formatClock } from './webvtt';

/** The list "Chapters": one button per chapter ("Play from 2:03: Q&A"), the current one marked; a click seeks. */
export function ChapterList({ chapters, time, onSeek }: { chapters: Chapter[]; time: number; onSeek: (seconds: number) => void }) {
  const active = activeChapterIndex(chapters, time);
  if (chapters.length === 0) {
    return <p className="empty">This episode has no chapters.</p>;
  }
  return (
    <ol className="chapters" aria-label="Chapters">
      {chapters.map((c, i) => (
        <li key={`${c.startTime}-${i}`} className={i === active ? 'chapter chapter-current' : 'chapter'}>
          <button type="button" aria-current={i === active ? 'true' : undefined} onClick={() => onSeek(c.startTime)}>
            <span className="cue-time">{formatClock(c.startTime)}</span> {c.title}
          </button>
        </li>
      ))}
    </ol>
  );
}
