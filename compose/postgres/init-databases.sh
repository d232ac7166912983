#!/bin/sh
# Creates one database per livestage service (and Keycloak's) on the first start of an empty data volume: the official
# postgres image runs /docker-entrypoint-initdb.d/*.sh once, as the superuser, before it accepts TCP connections.
# The list comes from LIVESTAGE_DATABASES in docker-compose.yml (devstack's Catalog names; deploy-check verifies).
set -eu
for db in ${LIVESTAGE_DATABASES:?LIVESTAGE_DATABASES lists the databases to create}; do
  if [ "$(psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    echo "livestage: creating database $db"
    psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE \"$db\""
  fi
done
