/** A chapter of an episode: seconds from the start and its title (Podcasting 2.0 JSON chapters, version 1.2.0). */
export interface Chapter {
  startTime: number;
  title: string;
  endTime?: number;
}

/**
 * Reads a JSON chapters document (`{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"}]}`): chapters
 * without a numeric startTime are skipped, `toc: false` ones (not meant for a table of contents) too; sorted by start.
 */
export function parseChapters(document: unknown): Chapter[] {
  const list = (document as { chapters?: unknown } | null)?.chapters;
  if (!Array.isArray(list)) {
    throw new Error('not a chapters document: no "chapters" list');
  }
  return list
    .filter(
      (c): c is { startTime: number; title?: unknown; endTime?: unknown; toc?: unknown } =>
        !!c && typeof c === 'object' && typeof (c as { startTime?: unknown }).startTime === 'number' && (c as { toc?: unknown }).toc !== false,
    )
    .map((c) => ({
      startTime: Math.max(0, c.startTime),
      title: typeof c.title === 'string' && c.title.trim() ? c.title : 'Untitled chapter',
      ...(typeof c.endTime === 'number' ? { endTime: c.endTime } : {}),
    }))
    .sort((a, b) => a.startTime - b.startTime);
}

/** The index of the chapter playing at `time` (a chapter lasts to its endTime, else to the next one's start), or -1. */
export function activeChapterIndex(chapters: Chapter[], time: number): number {
  for (let i = chapters.length - 1; i >= 0; i--) {
    const c = chapters[i];
    if (c.startTime <= time) {
      const end = c.endTime ?? chapters[i + 1]?.startTime ?? Infinity;
      return time < end ? i : -1;
    }
  }
  return -1;
}
