-- Per-speaker isolated tracks: while a recording is live, each stage speaker's microphone is also recorded on its own
-- (recording-service). Existing sessions keep them off.
alter table sessions add column speaker_tracks boolean not null default false;
