# Every DynamoDB table carries a cost-center tag.
package prodready.custom.cost_center_tag

metadata := {
	"id": "ORG-01",
	"title": "Tables carry a cost-center tag",
	"severity": "low",
	"phase": 4,
	"section": "Organisation rules",
	"effort_hours": 0.5,
	"rationale": "Finance allocates the bill by the cost-center tag; an untagged table is paid by nobody.",
	"remediation": "aws dynamodb tag-resource --resource-arn ARN --tags Key=cost-center,Value=CC-1234",
}

tags(region, arn) := object.get(object.get(input.inventory.tags, [region, "ok", "resources"], {}), arn, {})

status(region, arn) := "PASS" if {
	"cost-center" in object.keys(tags(region, arn))
} else := "FAIL"

findings contains f if {
	some region, part in input.inventory.dynamodb
	some t in part.ok.tables
	f := {
		"resource": t.arn,
		"region": region,
		"status": status(region, t.arn),
		"observed": sprintf("tags: %v", [object.keys(tags(region, t.arn))]),
		"message": sprintf("table %s", [t.name]),
	}
}
