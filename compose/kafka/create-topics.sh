#!/bin/bash
# Creates livestage's topics (io.livestage.events.Topics.ALL, Topics.PARTITIONS partitions each) if missing, as the
# local stack does before any service starts. Run once by the kafka-topics service of docker-compose.yml.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?}" "${LIVESTAGE_TOPICS:?}" "${LIVESTAGE_TOPIC_PARTITIONS:?}"
IFS=',' read -r -a topics <<< "$LIVESTAGE_TOPICS"
for topic in "${topics[@]}"; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions "$LIVESTAGE_TOPIC_PARTITIONS" --replication-factor 1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list
