-- Podcast feeds (ADR 0012): the podcast profile of a host (its channel: space null) and of each named space (a show
-- grouping episodes of several sessions, owned by one host), and a per-host feed version bumped by every change to
-- that host's episodes, so a conditional feed request costs one primary-key lookup.

-- The episodes table is the podcast library's (V2__podcast_library.sql); the feeds read it.

-- The items of a host's feed and of a space's feed, newest first.
create index if not exists episodes_host_feed on episodes (host_id, published_at desc)
    where status = 'PUBLISHED' and visibility = 'PUBLIC';
create index if not exists episodes_space_feed on episodes (space, published_at desc)
    where status = 'PUBLISHED' and visibility = 'PUBLIC' and space is not null;

-- A channel: the host's own (space null, at most one per host) or a space's (space = its slug, unique). podcast_guid
-- is computed from the feed URL when the row is created and kept, so the podcast keeps its guid if the public URL
-- changes later.
create table podcast_channels (
    channel_id    uuid          primary key,
    host_id       varchar(255)  not null,          -- the owner
    space         varchar(64),                     -- null: the host's channel
    podcast_guid  uuid          not null,
    title         varchar(255)  not null,
    description   varchar(4000) not null,
    image_url     varchar(1000),
    language      varchar(8)    not null,          -- ISO 639-1 with an optional ISO 3166 region, lower case: en-us
    category      varchar(40)   not null,          -- Apple's category text, e.g. 'Health & Fitness'
    subcategory   varchar(40),
    explicit      boolean       not null,
    author        varchar(255)  not null,
    copyright     varchar(255),
    type          varchar(8)    not null,          -- episodic, serial
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null
);
create unique index podcast_channels_host on podcast_channels (host_id) where space is null;
create unique index podcast_channels_space on podcast_channels (space) where space is not null;

-- Bumped in the transaction of every insert, update and delete of a host's episodes (the trigger below), so the feeds
-- of the host and of its spaces know they are stale without reading the episodes. changed_at never goes backwards.
create table podcast_feed_state (
    host_id     varchar(255) primary key,
    version     bigint       not null,
    changed_at  timestamptz  not null
);

create function podcast_feed_touch(host varchar) returns void language sql as $$
    insert into podcast_feed_state as s (host_id, version, changed_at) values (host, 1, clock_timestamp())
    on conflict (host_id) do update set version = s.version + 1, changed_at = greatest(s.changed_at, clock_timestamp());
$$;

create function podcast_feed_episode_changed() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform podcast_feed_touch(old.host_id);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.host_id is distinct from old.host_id) then
        perform podcast_feed_touch(new.host_id);
    end if;
    return null;
end;
$$;

create trigger episodes_feed_version after insert or update or delete on episodes
    for each row execute function podcast_feed_episode_changed();
