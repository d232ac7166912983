-- "Public or mine" lists read the host's non-public sessions on their own; without this partial index that read walks
-- every PUBLIC session of the host to find the few that are not.
create index sessions_host_private_page on sessions (host_id, created_at desc, id desc) where visibility <> 'PUBLIC';
