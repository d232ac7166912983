package io.livestage.events.session;

import java.util.List;

/** {@code session.updated}: title, description or settings changed; {@code changedFields} names them. */
public record SessionUpdated(SessionSnapshot session, List<String> changedFields) implements SessionChange {
}
