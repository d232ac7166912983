package io.livestage.chat.feed;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.livestage.chat.feed.RoomUpdate.UserChange;
import io.livestage.chat.room.Room;
import io.livestage.chat.room.RoomRegistry;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.Frames;

/**
 * Carries out {@link RoomUpdate}s on a room's sockets, each on the socket's own event loop and, per loop, in the order
 * the feed produced them (frames and per-socket actions go through the same {@link io.livestage.chat.ws.LoopWriter}).
 */
@ApplicationScoped
public class RoomUpdates {
    private final RoomRegistry rooms;
    private final Frames frames;

    public RoomUpdates(RoomRegistry rooms, Frames frames) {
        this.rooms = rooms;
        this.frames = frames;
    }

    public void apply(Room room, List<RoomUpdate> updates) {
        updates.forEach(update -> apply(room, update));
    }

    private void apply(Room room, RoomUpdate update) {
        switch (update) {
            case RoomUpdate.ToRoom to -> room.broadcast(to.frame());
            case RoomUpdate.ToModerators to -> room.toModerators(to.frame());
            case RoomUpdate.ToUser to -> room.forUser(to.userId(), c -> c.send(to.frame()));
            case RoomUpdate.ChangeUser user -> room.forUser(user.userId(), c -> {
                change(c, user.change());
                if (user.notice() != null) {
                    c.send(user.notice());
                }
                c.send(frames.youFrame(c));
            });
            case RoomUpdate.CloseUser close -> room.forUser(close.userId(),
                    c -> c.close(close.frame(), close.code(), close.reason()));
            case RoomUpdate.CloseAnonymous close -> room.forEach(ChatConnection::anonymous,
                    c -> c.close(close.frame(), close.code(), close.reason()));
            case RoomUpdate.Settings settings -> room.settings(settings.settings());
            case RoomUpdate.End end -> {
                rooms.drop(room);
                room.forEach(c -> true, c -> c.close(end.frame(), 1000, "session ended"));
            }
        }
    }

    private static void change(ChatConnection c, UserChange change) {
        switch (change) {
            case UserChange.TimedOut timedOut -> c.timedOutUntil(timedOut.until());
            case UserChange.Banned banned -> c.banned(true);
            case UserChange.Unbanned unbanned -> {
                c.banned(false);
                c.timedOutUntil(null);
            }
            case UserChange.Role role -> c.role(role.role());
        }
    }
}
