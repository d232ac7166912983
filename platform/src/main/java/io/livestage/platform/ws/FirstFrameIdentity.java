package io.livestage.platform.ws;

import io.quarkus.security.identity.SecurityIdentity;

/** Who a socket's first frame says it is: nobody, a verified identity, or a token that does not verify. */
public sealed interface FirstFrameIdentity {

    /** No token in the frame nor in the upgrade request; whether that may stay is the channel's call. */
    record Anonymous() implements FirstFrameIdentity {
    }

    record Authenticated(SecurityIdentity identity) implements FirstFrameIdentity {
    }

    /** A token was given and is forged, expired or otherwise refused by the identity provider. */
    record Invalid() implements FirstFrameIdentity {
    }
}
