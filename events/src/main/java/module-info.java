/**
 * The event contract as a module: the per-topic sealed interfaces permit records of several packages, which the
 * language allows only inside one named module. Open, so Jackson reads and writes the records reflectively.
 */
open module io.livestage.events {
    requires transitive com.fasterxml.jackson.annotation;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires transitive kafka.clients;

    exports io.livestage.events;
    exports io.livestage.events.chat;
    exports io.livestage.events.codec;
    exports io.livestage.events.kafka;
    exports io.livestage.events.livekit;
    exports io.livestage.events.participant;
    exports io.livestage.events.podcast;
    exports io.livestage.events.recording;
    exports io.livestage.events.session;
    exports io.livestage.events.stage;
    exports io.livestage.events.transcript;
}
