//! A plan's Lambda functions, as `ListFunctions` shows them (MON-05 asks each for an error
//! alarm): name, ARN (made from the name while AWS has not made it) and runtime.

use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::text;
use crate::inventory::{Function, Lambda};

pub(super) const FUNCTIONS: Reader = Reader {
    alone: false,
    kinds: &["aws_lambda_function"],
    arn: |p, account| {
        let name = text(&p.values, "function_name")?;
        text(&p.values, "arn")
            .or_else(|| Some(made_arn(p, "lambda", account, &format!("function:{name}"))))
    },
    remove: |inv, p, _| {
        let (planned, name) = (Identity::of(p), text(&p.values, "function_name"));
        if let Some(l) = part::<Lambda>(&mut inv.lambda, &p.region) {
            l.functions
                .retain(|f| !planned.is_arn(&f.arn) && name.as_deref() != Some(&f.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let arn = (FUNCTIONS.arn)(p, cx.account)?;
        part::<Lambda>(&mut inv.lambda, &p.region)?
            .functions
            .push(Function {
                name: text(&p.values, "function_name")?,
                arn: arn.clone(),
                runtime: text(&p.values, "runtime").filter(|r| !r.is_empty()),
            });
        Some(arn)
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::{expressions, judge, plan, refs, resource};
    use crate::checks::Status;
    use crate::inventory::{CloudWatch, Collected, Inventory, Lambda};
    use serde_json::json;

    #[test]
    fn a_new_function_wants_an_error_alarm_which_can_name_it_by_reference() {
        let function = resource(
            "aws_lambda_function",
            "thumbs",
            json!({"function_name": "thumbs", "runtime": "python3.13"}),
        );
        let alarm = resource(
            "aws_cloudwatch_metric_alarm",
            "errors",
            json!({"alarm_name": "thumbs-errors", "namespace": "AWS/Lambda", "metric_name": "Errors",
                   "dimensions": {"FunctionName": null}, "alarm_actions": []}),
        );
        let config = vec![expressions(
            "aws_cloudwatch_metric_alarm.errors",
            json!({"dimensions": refs(&["aws_lambda_function.thumbs.function_name", "aws_lambda_function.thumbs"])}),
        )];
        let mut base = Inventory {
            account_id: "1".into(),
            ..Inventory::default()
        };
        base.lambda
            .insert("eu-west-1".into(), Collected::Ok(Lambda::default()));
        base.cloudwatch
            .insert("eu-west-1".into(), Collected::Ok(CloudWatch::default()));
        let alone = plan("eu-west-1", vec![function.clone()], vec![], vec![]);
        let found = judge(&alone, &base, &["MON-05"]);
        assert_eq!(found[0].status, Status::Fail, "{found:?}");
        assert_eq!(
            found[0].resource,
            "arn:aws:lambda:eu-west-1:1:function:thumbs"
        );
        let alarmed = plan("eu-west-1", vec![function, alarm], config, vec![]);
        assert_eq!(judge(&alarmed, &base, &["MON-05"])[0].status, Status::Pass);
    }
}
