# Tables are billed on demand: provisioned capacity is a decision the platform team signs off.
package prodready.custom.table_billing_mode

metadata := {
	"id": "ORG-05",
	"title": "Tables are billed on demand",
	"severity": "low",
	"phase": 4,
	"section": "Cost Optimisation",
	"effort_hours": 1,
	"references": ["https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html"],
}

# A table that reports no billing mode is on demand (DescribeTable omits it for older tables).
mode(t) := object.get(t, "billing_mode", "PAY_PER_REQUEST")

status(t) := "FAIL" if mode(t) == "PROVISIONED"
else := "PASS"

findings contains f if {
	some region, part in input.inventory.dynamodb
	some t in part.ok.tables
	f := {
		"resource": t.arn,
		"region": region,
		"status": status(t),
		"observed": sprintf("billing_mode=%v", [mode(t)]),
		"message": sprintf("table %s is billed %v", [t.name, mode(t)]),
	}
}
