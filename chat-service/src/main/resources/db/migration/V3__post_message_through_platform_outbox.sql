-- chat_post_message appends its event through the platform's livestage_outbox_append instead of its own copy of the
-- outbox's column list (V2's copy had already drifted: it wrote no request_id). The platform's columns (event id,
-- aggregate type, event type, topic, source, schema, request id) come from the service's Outbox.metadata.
drop function chat_post_message(uuid, varchar, varchar, varchar, varchar, uuid, uuid, timestamptz, varchar, varchar,
    varchar, varchar, varchar);

create function chat_post_message(
    p_session uuid, p_user varchar, p_name varchar, p_client_id varchar, p_text varchar,
    p_message_id uuid, p_sent_at timestamptz, p_sent_at_text varchar,
    p_event_id uuid, p_aggregate_type varchar, p_event_type varchar, p_topic varchar, p_source varchar,
    p_schema varchar, p_request_id text)
returns table (outcome varchar, message_id uuid, seq bigint, sent_at timestamptz, retry_after_ms bigint,
               until timestamptz, author_name varchar, author_role varchar)
language plpgsql as $$
declare
    r          chat_rooms%rowtype;
    m          chat_members%rowtype;
    existing   chat_messages%rowtype;
    has_member boolean;
    v_role     varchar;
    v_name     varchar;
    v_seq      bigint;
    v_next     timestamptz;
begin
    select * into r from chat_rooms where session_id = p_session for update;
    if not found then
        return query select 'not_found'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    -- a retry of a stored message is answered with it, whatever changed since
    select * into existing from chat_messages c
        where c.session_id = p_session and c.author_id = p_user and c.client_message_id = p_client_id;
    if found then
        return query select 'duplicate'::varchar, existing.id, existing.seq, existing.sent_at, null::bigint,
            null::timestamptz, existing.author_name, existing.author_role;
        return;
    end if;
    select * into m from chat_members c where c.session_id = p_session and c.user_id = p_user;
    has_member := found;
    v_role := case when p_user = r.host_id then 'HOST' when has_member then m.role else 'VIEWER' end;
    v_name := coalesce(case when has_member then m.name end, p_name);
    if r.status in ('ENDED', 'CANCELLED', 'DELETED') then
        return query select 'over'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    if not r.enable_chat then
        return query select 'chat_disabled'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    if has_member and m.removed then
        return query select 'removed'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    if has_member and m.banned then
        return query select 'banned'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    if has_member and m.timed_out_until is not null and m.timed_out_until > p_sent_at then
        return query select 'timed_out'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            m.timed_out_until, null::varchar, null::varchar;
        return;
    end if;
    if r.reactions_only and v_role not in ('HOST', 'COHOST') then
        return query select 'reactions_only'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;
    if r.slow_mode_seconds > 0 and v_role not in ('HOST', 'COHOST') and has_member and m.last_message_at is not null then
        v_next := m.last_message_at + make_interval(secs => r.slow_mode_seconds);
        if v_next > p_sent_at then
            return query select 'slow_mode'::varchar, null::uuid, null::bigint, null::timestamptz,
                greatest(1, ceil(extract(epoch from (v_next - p_sent_at)) * 1000))::bigint,
                null::timestamptz, null::varchar, null::varchar;
            return;
        end if;
    end if;
    if r.blocked_pattern <> '' and normalize(lower(p_text), NFKC) ~ r.blocked_pattern then
        return query select 'blocked_term'::varchar, null::uuid, null::bigint, null::timestamptz, null::bigint,
            null::timestamptz, null::varchar, null::varchar;
        return;
    end if;

    update chat_rooms set last_seq = last_seq + 1 where session_id = p_session returning last_seq into v_seq;
    insert into chat_messages (id, seq, session_id, author_id, author_name, author_role, text, client_message_id, sent_at)
        values (p_message_id, v_seq, p_session, p_user, v_name, v_role, p_text, p_client_id, p_sent_at);
    insert into chat_members (session_id, user_id, name, last_message_at) values (p_session, p_user, v_name, p_sent_at)
        on conflict (session_id, user_id) do update set last_message_at = excluded.last_message_at;
    -- the event, through the platform's one outbox insert (platform's db/platform/R__outbox_append.sql)
    perform livestage_outbox_append(p_event_id, p_aggregate_type, p_session::text, v_seq, p_event_type, p_topic,
        p_source, p_schema,
        json_build_object('messageId', p_message_id, 'seq', v_seq, 'sessionId', p_session,
            'author', json_build_object('userId', p_user, 'name', v_name, 'role', v_role),
            'text', p_text, 'clientMessageId', p_client_id, 'sentAt', p_sent_at_text)::text,
        p_sent_at, p_request_id);
    return query select 'accepted'::varchar, p_message_id, v_seq, p_sent_at, null::bigint, null::timestamptz,
        v_name, v_role;
end;
$$;
