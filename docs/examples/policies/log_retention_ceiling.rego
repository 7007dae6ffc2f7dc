# No log group keeps its events more than 400 days (or forever): the privacy policy's ceiling.
package prodready.custom.log_retention_ceiling

metadata := {
	"id": "ORG-04",
	"title": "Log groups keep events 400 days at most",
	"severity": "medium",
	"phase": 4,
	"section": "Cost Optimisation",
	"effort_hours": 0.5,
	"remediation": "aws logs put-retention-policy --log-group-name NAME --retention-in-days 365",
}

ceiling := 400

status(g) := "PASS" if {
	g.retention_days != null
	g.retention_days <= ceiling
} else := "FAIL"

kept(g) := "forever" if g.retention_days == null
else := sprintf("%d days", [g.retention_days])

findings contains f if {
	some region, part in input.inventory.logs
	some g in part.ok.groups
	f := {
		"resource": g.arn,
		"region": region,
		"status": status(g),
		"observed": sprintf("retention: %s", [kept(g)]),
		"message": sprintf("log group %s keeps its events %s (at most %d days)", [g.name, kept(g), ceiling]),
	}
}
