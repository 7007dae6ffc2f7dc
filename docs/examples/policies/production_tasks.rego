# Services tagged Environment=production run at least four tasks.
package prodready.custom.production_tasks

metadata := {
	"id": "ORG-02",
	"title": "Production services run four tasks",
	"severity": "high",
	"phase": 1,
	"section": "High Availability",
	"effort_hours": 1,
	"rationale": "Our production services must survive the loss of a zone at peak: four tasks over three zones.",
}

minimum := 4

environment(region, arn) := object.get(input.inventory.tags, [region, "ok", "resources", arn, "Environment"], "")

status(count) := "PASS" if count >= minimum
else := "FAIL"

findings contains f if {
	some region, part in input.inventory.ecs
	some s in part.ok.services
	environment(region, s.arn) == "production"
	f := {
		"resource": s.arn,
		"region": region,
		"status": status(s.desired_count),
		"observed": sprintf("desiredCount=%d", [s.desired_count]),
		"message": sprintf("service %s wants %d task(s), production needs %d", [s.name, s.desired_count, minimum]),
	}
}
