package io.livestage.testing;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One server (broker, database, Keycloak, Redis) per test JVM, even when Quarkus loads this module in several
 * classloaders: the first copy to {@link #get()} resolves it and publishes its address in a system property (visible
 * to every classloader); later copies rebuild a handle from that address instead of starting another server.
 *
 * @param <T> the handle type
 */
public final class JvmWide<T> {

    private final String property;
    private final Function<String, T> fromPublished;
    private final Supplier<T> resolve;
    private final Function<T, String> address;
    /** Interned: the one monitor shared by every copy of the class that owns this property. */
    private final Object lock;
    private volatile T instance;

    /**
     * @param property      the system property the address is published in
     * @param fromPublished a handle for an address another copy published
     * @param resolve       the first copy's way to find or start the server
     * @param address       what to publish
     */
    public JvmWide(String property, Function<String, T> fromPublished, Supplier<T> resolve, Function<T, String> address) {
        this.property = property;
        this.fromPublished = fromPublished;
        this.resolve = resolve;
        this.address = address;
        this.lock = ("io.livestage.testing.JvmWide:" + property).intern();
    }

    /** The handle of this JVM's server, resolved on first use. */
    public T get() {
        T current = instance;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (instance == null) {
                String published = System.getProperty(property);
                T resolved = published != null && !published.isBlank() ? fromPublished.apply(published) : resolve.get();
                System.setProperty(property, address.apply(resolved));
                instance = resolved;
            }
            return instance;
        }
    }
}
