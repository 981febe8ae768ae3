// Package deploy holds what it takes to run a relay: the systemd unit, the
// Dockerfile, a compose file that starts a relay with Prometheus and
// Grafana, the Prometheus scrape configurations and alert rules, the Grafana
// datasource, dashboard provider and dashboard, and an example relay
// configuration.
//
// It has no Go code of its own. Its tests keep those files true to the
// code: every metric, label and label value that an alert rule or a
// dashboard panel queries is one a running relay emits, every file the
// compose file mounts exists, and the Docker build context leaves keys and
// data directories out. It must never hold secrets.
package deploy
