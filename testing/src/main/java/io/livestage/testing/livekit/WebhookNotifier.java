package io.livestage.testing.livekit;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import livekit.LivekitWebhook.WebhookEvent;

/**
 * The webhooks the stub sends by itself (egress and ingress lifecycle, ingress participants), like LiveKit's notifier
 * configured with {@code webhook.urls} in livekit.yaml: every event is posted to every URL with
 * {@link LiveKitStub#sendWebhook}'s body and signature, one at a time in the order the events happened, one attempt
 * each (LiveKit retries 5xx and connection failures; the stub records them instead).
 * <p>
 * {@link #dropNext} loses events on purpose (a webhook that never arrives), so that reconciliation paths can be
 * tested, and {@link #pause()} loses every event until {@link #resume()} (a receiver that was down, e.g. restarting);
 * dropped events are still listed by {@link #events()}, marked {@link Notification#dropped()}.
 */
public final class WebhookNotifier implements AutoCloseable {

    /**
     * One event the stub emitted, and what became of it.
     *
     * @param urls the URLs configured when it was emitted (where it is posted unless dropped)
     * @param deliveries the posts made so far, in {@code urls} order
     */
    public record Notification(WebhookEvent event, String body, boolean dropped, List<String> urls,
            List<Delivery> deliveries) {
        public String name() {
            return event.getEvent();
        }

        boolean settled() {
            return dropped || deliveries.size() == urls.size();
        }

        Notification copy() {
            return new Notification(event, body, dropped, urls, List.copyOf(deliveries));
        }
    }

    /**
     * One POST of an event to one URL.
     *
     * @param status the receiver's HTTP status, or 0 when the POST failed ({@link #failure})
     * @param failure why the POST failed (connection refused, ...), or null
     */
    public record Delivery(String url, int status, String failure) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    private final LiveKitStub stub;
    private final ExecutorService sender;
    private final List<String> urls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> drops = new HashMap<>();
    private final List<Notification> notifications = new ArrayList<>();
    private boolean paused;

    WebhookNotifier(LiveKitStub stub, String name) {
        this.stub = stub;
        this.sender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-webhooks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Adds a URL every event is posted to (LiveKit's {@code webhook.urls}). */
    public void addUrl(String url) {
        urls.add(url);
    }

    public void removeUrl(String url) {
        urls.remove(url);
    }

    public List<String> urls() {
        return List.copyOf(urls);
    }

    /** The next {@code times} events named {@code event} (e.g. {@code "egress_ended"}) are not posted anywhere. */
    public synchronized void dropNext(String event, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0");
        }
        drops.merge(event, times, Integer::sum);
    }

    /** {@code dropNext(event, 1)}: one lost webhook. */
    public void dropNext(String event) {
        dropNext(event, 1);
    }

    /**
     * Until {@link #resume()}, every event is lost: emitted and listed as {@link Notification#dropped() dropped},
     * posted nowhere, then or later (LiveKit does not replay webhooks). Pending {@link #dropNext} counts are kept.
     */
    public synchronized void pause() {
        paused = true;
    }

    /** Events emitted from now on are posted again. */
    public synchronized void resume() {
        paused = false;
    }

    public synchronized boolean paused() {
        return paused;
    }

    /** Every event emitted so far, oldest first, with the deliveries made so far. */
    public synchronized List<Notification> events() {
        return notifications.stream().map(Notification::copy).toList();
    }

    /** The events named {@code event} emitted so far, oldest first. */
    public List<Notification> events(String event) {
        return events().stream().filter(n -> n.name().equals(event)).toList();
    }

    /**
     * Waits until an event named {@code event} matching the predicate has been emitted and, unless dropped, posted to
     * every URL configured then; returns it.
     */
    public Notification await(String event, Predicate<WebhookEvent> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Notification n : notifications) {
                    if (n.name().equals(event) && predicate.test(n.event()) && n.settled()) {
                        return n.copy();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("No " + event + " webhook matching the predicate within " + timeout
                            + "; emitted: " + notifications.stream().map(Notification::name).toList());
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for a " + event + " webhook", e);
                }
            }
        }
    }

    /** Forgets emitted events and pending drops and resumes; the URLs stay. */
    public synchronized void reset() {
        notifications.clear();
        drops.clear();
        paused = false;
    }

    /** Queues the event: it is posted after every event emitted before it. */
    void emit(WebhookEvent event) {
        String body = LiveKitJson.webhook(event);
        Notification notification;
        synchronized (this) {
            Integer left = drops.get(event.getEvent());
            boolean dropped = paused || left != null && left > 0;
            if (!paused && dropped) {
                drops.put(event.getEvent(), left - 1);
            }
            notification = new Notification(event, body, dropped, List.copyOf(urls), new CopyOnWriteArrayList<>());
            notifications.add(notification);
            notifyAll();
        }
        if (!notification.dropped()) {
            sender.execute(() -> post(notification));
        }
    }

    private void post(Notification notification) {
        for (String url : notification.urls()) {
            Delivery delivery;
            try {
                delivery = new Delivery(url, stub.postWebhook(url, notification.body(),
                        stub.signedWebhook(notification.body())), null);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                delivery = new Delivery(url, 0, String.valueOf(e.getCause() == null ? e : e.getCause()));
            } catch (IllegalStateException e) {
                return; // interrupted: the stub is closing
            }
            synchronized (this) {
                notification.deliveries().add(delivery);
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
