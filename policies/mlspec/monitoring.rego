# METADATA
# title: Production monitoring
# description: |
#   In the monitored environments (prod) the serving runtime watches its inputs for drift,
#   every serving tier has a drift alert, and every alert is routed to the owning team's
#   receiver, so a degrading model is noticed and someone answers for it.
# custom:
#   severity: deny
#   controls:
#     - ISO27001:A.8.16
#     - ISO27001:A.5.24
#     - ISO27001:A.5.2
#   remediation: >-
#     Keep drift detection on for at least one model input (monitoring.drift, a baseline per
#     input), deploy to a cluster with the Prometheus Operator, and route alerts with
#     monitoring.alerts.
package mlspec.monitoring

import rego.v1

import data.mlspec.lib.params as parameters

params := parameters.of("monitoring")

env := input.system.environment

monitored if env in params.environments

deny contains finding if some finding in parameters.missing("monitoring", ["environments", "drift_metrics"])

# Model inputs the runtime compares with their training distribution.
tracked contains f.name if {
	some f in input.features
	input.spec.model.baseline.features[f.name]
	not input.spec.monitoring.drift.features[f.name].ignore
}

deny contains finding if {
	monitored
	count(tracked) == 0
	finding := {
		"pointer": "/monitoring/drift",
		"msg": sprintf(
			"environment %s watches no model input for drift: every input is ignored or has no baseline",
			[env],
		),
	}
}

alert_rules contains {"object": {"kind": obj.kind, "name": obj.metadata.name}, "rule": rule} if {
	some obj in input.objects
	obj.kind == "PrometheusRule"
	some group in obj.spec.groups
	some rule in group.rules
	rule.alert
}

deny contains finding if {
	monitored
	not input.cluster.components.prometheusOperator
	finding := {
		"pointer": sprintf("/environments/%s/cluster", [env]),
		"msg": sprintf(
			"cluster %s has no Prometheus Operator: no drift or SLO alerts are deployed",
			[input.cluster.name],
		),
	}
}

deny contains finding if {
	monitored
	input.cluster.components.prometheusOperator
	some tier, _ in input.spec.serving.tiers
	not drift_alert(tier)
	finding := {
		"pointer": sprintf("/serving/tiers/%s", [tier]),
		"msg": sprintf("serving tier %s has no drift alert", [tier]),
	}
}

drift_alert(tier) if {
	some a in alert_rules
	object.get(a.rule, ["labels", "tier"], tier) == tier
	is_string(a.rule.expr)
	some metric in params.drift_metrics
	contains(a.rule.expr, metric)
}

deny contains finding if {
	monitored
	some a in alert_rules
	object.get(a.rule, ["labels", "team"], "") != input.system.team
	finding := {
		"object": a.object,
		"msg": sprintf("alert %s in %s is not labelled team=%s", [a.rule.alert, a.object.name, input.system.team]),
	}
}

deny contains finding if {
	monitored
	some a in alert_rules
	object.get(a.rule, ["labels", "receiver"], "") == ""
	finding := {
		"object": a.object,
		"msg": sprintf("alert %s in %s names no receiver", [a.rule.alert, a.object.name]),
	}
}
