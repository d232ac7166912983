-- The podcast library: a completed MP3 recording becomes a DRAFT episode (in the transaction that records the output
-- COMPLETE); its transcript comes from transcript finals (livestage.transcript), its chapters from the session's
-- timeline (start, speakers brought on stage, host markers). docs/adr/0011-podcast-library.md.

-- the session's description (an episode's default description), from the session events
alter table recording_sessions add column description text;

create table episodes (
    episode_id      uuid          primary key,        -- also the item <guid isPermaLink="false">
    recording_id    uuid          not null unique references recordings (recording_id) on delete cascade,
    session_id      uuid          not null,
    host_id         varchar(255)  not null,
    space           varchar(64),                      -- optional space slug: the episode also appears in that space's feed
    status          varchar(12)   not null,           -- DRAFT, PUBLISHED, UNPUBLISHED
    title           varchar(200)  not null,
    description     varchar(4000) not null,
    tags            text[]        not null default '{}',
    explicit        boolean       not null default false,
    season          integer,
    episode_number  integer,
    episode_type    varchar(8)    not null default 'full',   -- full, trailer, bonus
    visibility      varchar(10)   not null,           -- PUBLIC (listed in feeds), UNLISTED (link only), PRIVATE (host only)
    media_format    varchar(4)    not null,           -- MP3 (the enclosure; Apple rejects OGG)
    media_location  varchar(1000) not null,           -- the file path egress wrote
    media_bytes     bigint        not null,           -- exact byte length (enclosure length)
    duration_ms     bigint        not null,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    published_at    timestamptz,                      -- pubDate
    recorded_from   timestamptz   not null,           -- the MP3's start: transcript cues and chapters count from it
    recorded_to     timestamptz   not null,
    last_seq        bigint        not null default 0  -- ce_sequence of the episode's podcast.* events
);
create index episodes_host on episodes (host_id, created_at desc);
create index episodes_feed on episodes (published_at desc) where status = 'PUBLISHED' and visibility = 'PUBLIC';

-- An episode's chapters (Podcasting 2.0 JSON chapters): copied from the timeline into the draft, edited by the host.
create table episode_chapters (
    episode_id  uuid          not null references episodes (episode_id) on delete cascade,
    position    integer       not null,
    start_ms    bigint        not null,           -- offset from the recording's start
    title       varchar(200)  not null,
    primary key (episode_id, position)
);

-- What happened in a session, for chapters: its start, each speaker brought on stage, the host's markers.
-- dedupe_key makes event-derived entries idempotent (one per session event).
create table session_timeline (
    entry_id    uuid          primary key,
    session_id  uuid          not null references recording_sessions (session_id) on delete cascade,
    at          timestamptz   not null,
    kind        varchar(16)   not null,           -- SESSION_STARTED, SPEAKER, MARKER
    title       varchar(200)  not null,
    created_by  varchar(255),                     -- the host or cohost who set a marker
    dedupe_key  varchar(100)  not null
);
create unique index session_timeline_dedupe on session_timeline (session_id, dedupe_key);
create index session_timeline_at on session_timeline (session_id, at);

-- Transcript finals of the sessions (from livestage.transcript), one row per utterance; the podcast transcript is
-- rendered from them on request, so late finals are included. No reference to recording_sessions: a final may come
-- before the session's projection.
create table transcript_finals (
    session_id            uuid          not null,
    stream_id             varchar(200)  not null,
    utterance_id          varchar(200)  not null,
    participant_identity  varchar(255)  not null,
    speaker_name          varchar(255),
    text                  text          not null,
    start_at              timestamptz   not null,
    end_at                timestamptz   not null,
    primary key (session_id, stream_id, utterance_id)
);
create index transcript_finals_start on transcript_finals (session_id, start_at);
