-- Per-speaker isolated tracks (ADR 0010, "Speaker tracks"). The session setting, projected like recording_enabled:
alter table recording_sessions add column speaker_tracks boolean not null default false;

-- A speaker track is an output of its recording like the composite formats: one LiveKit track egress of one
-- participant's microphone track, with the same statuses, lease, retries and reconcile loop. format 'OGG' (egress
-- writes an Opus track to Ogg), track_sid the LiveKit track; composite outputs keep track_sid ''. A track output is
-- stopped on its own (the track was unpublished) by its stop_requested_at, or with its recording.
alter table recording_outputs add column track_sid varchar(64) not null default '';
alter table recording_outputs add column participant_identity varchar(255);
alter table recording_outputs add column participant_name varchar(200);
alter table recording_outputs add column stop_requested_at timestamptz;
alter table recording_outputs drop constraint recording_outputs_pkey;
alter table recording_outputs add primary key (recording_id, format, track_sid);

-- The microphone tracks speakers are publishing now (LiveKit's track_published / track_unpublished webhooks), so a
-- recording started while they speak records their tracks from its start. No foreign key: a webhook may arrive before
-- the session's events reach the projection (another topic); the session's end forgets its rows.
create table recording_mic_tracks (
    session_id            uuid         not null,
    track_sid             varchar(64)  not null,
    participant_identity  varchar(255) not null,
    participant_name      varchar(200),
    published_at          timestamptz  not null,
    primary key (session_id, track_sid)
);
