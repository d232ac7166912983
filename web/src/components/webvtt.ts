/** One cue of a WebVTT file: times in seconds, the speaker of a `<v Name>` span, the text without markup. */
export interface Cue {
  id: string | null;
  start: number;
  end: number;
  speaker: string | null;
  text: string;
}

const TIMESTAMP = /^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

/** `hh:mm:ss.ttt` or `mm:ss.ttt` in seconds; null when malformed. */
export function parseTimestamp(value: string): number | null {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) {
    return null;
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Parses a WebVTT document (W3C WebVTT: optional BOM, `WEBVTT` header, blocks separated by blank lines, CRLF/LF/CR
 * line ends, NOTE/STYLE/REGION blocks skipped, optional cue identifiers, cue settings after the times, multi-line
 * payloads). The first `<v Speaker>` span names the cue's speaker; other tags are dropped and entities decoded.
 * Malformed cues are skipped. Throws when the header is missing (not a WebVTT file).
 */
export function parseVtt(source: string): Cue[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new Error('not a WebVTT file: the first line is not "WEBVTT"');
  }
  const cues: Cue[] = [];
  let i = 1;
  // the header's own lines run to the first blank line
  while (i < lines.length && lines[i] !== '') {
    i++;
  }
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') {
      i++;
    }
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') {
      block.push(lines[i]);
      i++;
    }
    if (block.length === 0) {
      break;
    }
    const cue = parseCue(block);
    if (cue) {
      cues.push(cue);
    }
  }
  return cues.sort((a, b) => a.start - b.start || a.end - b.end);
}

function parseCue(block: string[]): Cue | null {
  let timing = 0;
  if (!block[0].includes('-->')) {
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(block[0])) {
      return null;
    }
    timing = 1;
  }
  const line = block[timing];
  if (!line || !line.includes('-->')) {
    return null;
  }
  const [from, rest] = line.split('-->', 2);
  const start = parseTimestamp(from);
  const end = parseTimestamp(rest.trim().split(/[ \t]+/)[0] ?? '');
  if (start === null || end === null || end < start) {
    return null;
  }
  const payload = block.slice(timing + 1).join('\n');
  const voice = /<v(?:\.[^\s>]+)*[ \t]+([^>]+)>/.exec(payload);
  const text = decodeEntities(payload.replace(/<[^>]*>/g, '')).trim();
  return {
    id: timing === 1 ? block[0].trim() : null,
    start,
    end,
    speaker: voice ? decodeEntities(voice[1].trim()) : null,
    text,
  };
}

/** The index of the cue playing at `time` (the latest-starting one when cues overlap), or -1. */
export function activeCueIndex(cues: Cue[], time: number): number {
  let found = -1;
  for (let i = 0; i < cues.length && cues[i].start <= time; i++) {
    if (time < cues[i].end) {
      found = i;
    }
  }
  return found;
}

/** "1:02:03" or "2:03": a position in an episode. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
