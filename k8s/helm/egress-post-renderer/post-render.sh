#!/bin/sh
# Helm post-renderer for LiveKit's egress chart: reads the rendered chart on stdin, writes it on stdout with the
# recordings volume (PVC livestage-recordings) mounted at /out in the egress container (the chart has no values for
# extra volumes). Usage: helm upgrade --install ... --post-renderer k8s/helm/egress-post-renderer/post-render.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/chart.yaml"
cp "$here/kustomization.yaml" "$here/recordings-volume.yaml" "$work/"
kubectl kustomize "$work"
