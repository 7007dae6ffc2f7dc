//! Terraform states kept in S3 (`s3://BUCKET/KEY`): one GetObject each, from the bucket's
//! region as the S3 collector located it, parsed for addresses only. A state that cannot be
//! read or parsed is an error of that input; the scan goes on.

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::StateFile;

pub async fn read(ctx: Ctx, base: SdkConfig, path_style: bool, source: String) -> StateFile {
    let failed = |message: String| StateFile {
        source: source.clone(),
        error: Some(CollectError::unreadable(
            "s3",
            "GetObject",
            &ctx.region,
            message,
        )),
        ..StateFile::default()
    };
    let Some((bucket, key)) = crate::terraform::s3_url(&source) else {
        return failed(format!("{source} is not an s3://BUCKET/KEY URL"));
    };
    let config = aws_sdk_s3::config::Builder::from(&base)
        .region(aws_config::Region::new(ctx.region.clone()))
        .force_path_style(path_style)
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    let object = match ctx
        .call(
            "GetObject",
            client.get_object().bucket(bucket).key(key).send(),
        )
        .await
    {
        Ok(object) => object,
        Err(e) => {
            return StateFile {
                source: source.clone(),
                error: Some(e),
                ..StateFile::default()
            }
        }
    };
    let bytes = match object.body.collect().await {
        Ok(b) => b.into_bytes(),
        Err(_) => {
            return failed(format!(
                "{source}: the object's body could not be read to its end"
            ))
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(_) => {
            return failed(format!(
                "{source}: not UTF-8 text, so not a Terraform state"
            ))
        }
    };
    crate::terraform::state::parse(&source, text).unwrap_or_else(failed)
}
