package io.livestage.infra.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings of a one-node KRaft Kafka, shared by the tests' in-JVM broker and the local stack's broker
 * process, so both behave alike (replication factor 1 everywhere, auto-created topics, no rebalance delay).
 */
public final class SingleNodeKafka {

    private SingleNodeKafka() {
    }

    /**
     * @param partitions default partition count of topics nobody created explicitly (e.g. dead-letter topics)
     * @param internalPartitions partitions of the offsets and transaction-state topics (fewer: ready sooner)
     */
    public static Map<String, String> brokerSettings(int partitions, int internalPartitions) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("auto.create.topics.enable", "true");
        settings.put("num.partitions", Integer.toString(partitions));
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", Integer.toString(internalPartitions));
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", Integer.toString(internalPartitions));
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        return settings;
    }
}
