package mlspec.monitoring_test

import rego.v1

import data.mlspec.monitoring

params := {"environments": ["prod"], "drift_metrics": ["mlspec_dataset_drift"]}

rule(alert, labels, expr) := {"alert": alert, "labels": labels, "expr": expr}

routed := {"team": "payments-risk", "receiver": "pagerduty-payments-risk", "tier": "standard"}

prometheus_rule(rules) := {
	"kind": "PrometheusRule",
	"metadata": {"name": "fraud"},
	"spec": {"groups": [{"name": "fraud.serving", "rules": rules}]},
}

drift := rule("ModelInputDrift", routed, `max(mlspec_dataset_drift{service="fraud-standard"}) == 1`)

base := {
	"system": {"environment": "prod", "team": "payments-risk"},
	"cluster": {"name": "prod-eu", "components": {"prometheusOperator": true}},
	"features": [{"name": "amount"}, {"name": "merchant_category"}],
	"spec": {
		"model": {"baseline": {"features": {"amount": {}, "merchant_category": {}}}},
		"monitoring": {"drift": {"features": {"merchant_category": {"ignore": true}}}},
		"serving": {"tiers": {"standard": {}}},
	},
	"objects": [prometheus_rule([drift, {"record": "fraud:requests:rate5m", "expr": "x"}])],
}

deny(inp) := found if {
	found := monitoring.deny with input as inp with data.mlspec.params.monitoring as params
}

pointers(inp) := {f.pointer | some f in deny(inp)}

test_watched_and_routed_passes if {
	count(deny(base)) == 0
}

test_no_input_watched_is_denied if {
	ignore := {"op": "add", "path": "/spec/monitoring/drift/features/amount", "value": {"ignore": true}}
	all_ignored := json.patch(base, [ignore])
	pointers(all_ignored) == {"/monitoring/drift"}
	drop := {"op": "replace", "path": "/spec/model/baseline/features", "value": {"merchant_category": {}}}
	no_baseline := json.patch(base, [drop])
	pointers(no_baseline) == {"/monitoring/drift"}
}

test_only_monitored_environments_are_checked if {
	inp := json.patch(base, [
		{"op": "replace", "path": "/system/environment", "value": "dev"},
		{"op": "replace", "path": "/objects", "value": []},
	])
	count(deny(inp)) == 0
}

test_tier_without_drift_alert_is_denied if {
	inp := json.patch(base, [{"op": "add", "path": "/spec/serving/tiers/enterprise", "value": {}}])
	pointers(inp) == {"/serving/tiers/enterprise"}
}

test_cluster_without_prometheus_operator_is_denied if {
	inp := json.patch(base, [
		{"op": "replace", "path": "/cluster/components/prometheusOperator", "value": false},
		{"op": "replace", "path": "/objects", "value": []},
	])
	pointers(inp) == {"/environments/prod/cluster"}
}

test_alerts_must_reach_the_owning_team if {
	stray := rule("ServingErrorRateHigh", {"team": "someone-else", "receiver": ""}, "x > 1")
	found := deny(json.patch(base, [{"op": "replace", "path": "/objects", "value": [prometheus_rule([drift, stray])]}]))
	{f.msg | some f in found} == {
		"alert ServingErrorRateHigh in fraud is not labelled team=payments-risk",
		"alert ServingErrorRateHigh in fraud names no receiver",
	}
	some f in found
	f.object == {"kind": "PrometheusRule", "name": "fraud"}
}

test_an_alert_on_other_metrics_is_not_a_drift_alert if {
	errors := rule("ServingErrorRateHigh", routed, `sum(rate(mlspec_request_errors_total[5m])) > 0.01`)
	inp := json.patch(base, [{"op": "replace", "path": "/objects", "value": [prometheus_rule([errors])]}])
	pointers(inp) == {"/serving/tiers/standard"}
}
