//! A plan's deployment pipelines (CICD-01): CodePipeline pipelines, as `ListPipelines` names
//! them, and IAM OIDC identity providers (a CI service's, through which it deploys), as
//! `ListOpenIDConnectProviders` gives their ARNs (`…:oidc-provider/HOST/PATH`, from the
//! provider's URL without its scheme).

use super::reader::{made_global_arn, part, Context, Reader};
use super::values::text;
use crate::inventory::{CodePipeline, Collected};

const PIPELINE: &str = "aws_codepipeline";
const OIDC: &str = "aws_iam_openid_connect_provider";

pub(super) const PIPELINES: Reader = Reader {
    alone: false,
    kinds: &[PIPELINE, OIDC],
    arn: |p, account| {
        if p.kind != OIDC {
            return None;
        }
        let url = text(&p.values, "url")?;
        let issuer = url.trim_start_matches("https://");
        text(&p.values, "arn").or_else(|| {
            Some(made_global_arn(
                p,
                "iam",
                account,
                &format!("oidc-provider/{issuer}"),
            ))
        })
    },
    remove: |inv, p, _| {
        if p.kind == PIPELINE {
            let name = text(&p.values, "name");
            if let Some(cp) = part::<CodePipeline>(&mut inv.codepipeline, &p.region) {
                cp.pipelines.retain(|x| name.as_deref() != Some(x));
            }
        } else if let (Some(arn), Some(Collected::Ok(iam))) = (text(&p.values, "arn"), &mut inv.iam)
        {
            iam.oidc_providers.retain(|x| *x != arn);
        }
    },
    add: |inv, p, cx: &Context| {
        if p.kind == PIPELINE {
            let name = text(&p.values, "name")?;
            part::<CodePipeline>(&mut inv.codepipeline, &p.region)?
                .pipelines
                .push(name);
            return None;
        }
        let arn = (PIPELINES.arn)(p, cx.account)?;
        if let Some(Collected::Ok(iam)) = &mut inv.iam {
            iam.oidc_providers.push(arn.clone());
        }
        Some(arn)
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::{deleted, judge, plan, resource};
    use crate::checks::Status;
    use crate::inventory::{CodePipeline, Collected, Iam, Inventory};
    use serde_json::json;

    #[test]
    fn a_deleted_pipeline_leaves_and_a_ci_oidc_provider_deploys() {
        let mut base = Inventory {
            account_id: "1".into(),
            iam: Some(Collected::Ok(Iam::default())),
            ..Inventory::default()
        };
        base.codepipeline.insert(
            "eu-west-1".into(),
            Collected::Ok(CodePipeline {
                pipelines: vec!["deploy".into()],
            }),
        );
        let judge_one = |resources, deletions| {
            judge(
                &plan("eu-west-1", resources, vec![], deletions),
                &base,
                &["CICD-01"],
            )
            .remove(0)
            .status
        };
        assert_eq!(judge_one(vec![], vec![]), Status::Pass);
        let gone = deleted("aws_codepipeline", "deploy", json!({"name": "deploy"}));
        assert_eq!(judge_one(vec![], vec![gone.clone()]), Status::Fail);
        let github = resource(
            "aws_iam_openid_connect_provider",
            "github",
            json!({"url": "https://token.actions.githubusercontent.com"}),
        );
        assert_eq!(judge_one(vec![github], vec![gone]), Status::Pass);
    }
}
