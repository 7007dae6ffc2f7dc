# Containers run images from the account's own ECR registry only.
package prodready.custom.image_registry

metadata := {
	"id": "ORG-03",
	"title": "Images come from our registry",
	"severity": "medium",
	"phase": 2,
	"section": "Security Hardening",
	"effort_hours": 2,
	"rationale": "Only images built and scanned by our pipeline may run: they are pushed to this account's ECR.",
	"remediation": "push the image to ACCOUNT.dkr.ecr.REGION.amazonaws.com and point the task definition at it",
}

# Images allowed besides our own: AWS's public sidecars.
allowed_prefixes := ["public.ecr.aws/xray/", "public.ecr.aws/aws-observability/"]

ours(image) if startswith(image, sprintf("%s.dkr.ecr.", [input.account_id]))

ours(image) if {
	some prefix in allowed_prefixes
	startswith(image, prefix)
}

foreign(td) := [c.image | some c in td.containers; not ours(c.image)]

status(td) := "PASS" if count(foreign(td)) == 0
else := "FAIL"

findings contains f if {
	some region, part in input.inventory.ecs
	some td in part.ok.task_definitions
	f := {
		"resource": td.arn,
		"region": region,
		"status": status(td),
		"observed": sprintf("images from elsewhere: %v", [foreign(td)]),
		"message": sprintf("task definition %s:%d", [td.family, td.revision]),
	}
}
