//! The AWS session: one `SdkConfig` from the default credential chain (or an assumed role),
//! and a config per scanned region derived from it.
//!
//! Startup never waits on credential sources that are not there: the instance metadata
//! service is asked with a short timeout and a single attempt, and the credentials are
//! resolved once, up front, under a deadline, so that a machine with no credentials gets a
//! helpful error in about a second instead of a long hang and a cryptic one.

pub mod calls;

use std::time::Duration;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::imds::{self, region::ImdsRegionProvider};
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::region::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;

use crate::error::SetupError;
use crate::session::calls::CallLog;

/// How the SDK retries a throttled or failed call.
///
/// Adaptive by default. Under a rate quota (the front's `rate` rule, `scripts/bench --quota`),
/// standard mode's per-call back-off let a burst of 16 in flight exhaust a DescribeTable's
/// three attempts, and the scan ended partial; adaptive slowed the whole client to the quota
/// and read every table. Adaptive only limits after a throttle: an unthrottled scan is as
/// fast. Standard suits throttling that is not about rate (the fault tests' random share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RetryMode {
    /// Exponential back-off with jitter, per call.
    Standard,
    /// Standard's back-off plus a client-side rate limiter per service that slows every call
    /// to it down once it throttles, and speeds up again as it stops.
    #[default]
    Adaptive,
}

/// How to reach AWS. Built from the command line.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    pub profile: Option<String>,
    /// Regions to scan; empty means the profile's or environment's region.
    pub regions: Vec<String>,
    pub role_arn: Option<String>,
    /// Overrides every service endpoint (an emulator, a VPC endpoint proxy). The standard
    /// `AWS_ENDPOINT_URL` variable is honoured by the SDK itself when this is unset.
    pub endpoint_url: Option<String>,
    pub connect_timeout: Duration,
    pub operation_timeout: Duration,
    pub max_attempts: u32,
    pub retry_mode: RetryMode,
    /// Scan every region enabled for the account (EC2 `DescribeRegions`) instead of `regions`.
    pub all_regions: bool,
    /// Regions left out, whichever way the regions were chosen.
    pub exclude_regions: Vec<String>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            profile: None,
            regions: Vec::new(),
            role_arn: None,
            endpoint_url: None,
            connect_timeout: Duration::from_secs(3),
            operation_timeout: Duration::from_secs(60),
            max_attempts: 3,
            retry_mode: RetryMode::Adaptive,
            all_regions: false,
            exclude_regions: Vec::new(),
        }
    }
}

/// An authenticated session: the shared config, the regions to scan, and who we are.
#[derive(Debug, Clone)]
pub struct Session {
    config: SdkConfig,
    /// The regions to scan: those asked for that answered the probe.
    pub regions: Vec<String>,
    /// Regions asked for that did not answer (unreachable, not enabled): each with the
    /// probe's failure, which every part of that region reports instead of being read.
    pub unreachable: Vec<crate::error::CollectError>,
    pub account_id: String,
    pub caller_arn: String,
    pub endpoint: Option<String>,
}

/// How long startup may spend finding credentials before it gives up.
const CREDENTIALS_DEADLINE: Duration = Duration::from_millis(2500);

impl Session {
    /// Connects and identifies the caller; the identity call is recorded in `log`.
    pub async fn connect(opts: &SessionOptions, log: &CallLog) -> Result<Session, SetupError> {
        Self::validate(opts)?;
        let endpoint = opts.endpoint_url.clone().or_else(|| {
            std::env::var("AWS_ENDPOINT_URL")
                .ok()
                .filter(|v| !v.is_empty())
        });

        let imds = imds::Client::builder()
            .connect_timeout(Duration::from_millis(500))
            .read_timeout(Duration::from_millis(500))
            .max_attempts(1)
            .build();

        let primary = Self::primary_region(opts, imds.clone()).await?;
        validate_region(primary.as_ref())?;

        let mut chain = DefaultCredentialsChain::builder()
            .imds_client(imds)
            .region(primary.clone());
        if let Some(p) = &opts.profile {
            chain = chain.profile_name(p);
        }
        let credentials = chain.build().await;
        resolve_within_deadline(&credentials)
            .await
            .map_err(SetupError::NoCredentials)?;

        let config = Self::sdk_config(opts, &primary, credentials).await;

        let identity = Self::identify(&config, opts, &primary, log).await?;

        let mut regions = Self::regions_to_scan(&config, opts, &primary, log).await?;
        let unreachable = probe_regions(&config, &regions, primary.as_ref(), opts, log).await;
        regions.retain(|r| !unreachable.iter().any(|u| &u.region == r));
        Ok(Session {
            config,
            regions,
            unreachable,
            account_id: identity.account().unwrap_or_default().to_owned(),
            caller_arn: identity.arn().unwrap_or_default().to_owned(),
            endpoint,
        })
    }

    fn validate(opts: &SessionOptions) -> Result<(), SetupError> {
        for r in opts.regions.iter().chain(&opts.exclude_regions) {
            validate_region(r)?;
        }
        if let Some(url) = &opts.endpoint_url {
            validate_endpoint(url)?;
        }
        if let Some(arn) = &opts.role_arn {
            validate_role_arn(arn)?;
        }
        Ok(())
    }

    /// The region from the options, else the default chain with the fast-failing IMDS client.
    async fn primary_region(
        opts: &SessionOptions,
        imds: imds::Client,
    ) -> Result<Region, SetupError> {
        let primary = match opts.regions.first() {
            Some(r) => Region::new(r.clone()),
            None => {
                // The default region chain, but with the fast-failing IMDS client.
                let mut profile = ProfileFileRegionProvider::builder();
                if let Some(p) = &opts.profile {
                    profile = profile.profile_name(p);
                }
                RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
                    .or_else(profile.build())
                    .or_else(ImdsRegionProvider::builder().imds_client(imds).build())
                    .region()
                    .await
                    .ok_or(SetupError::NoRegion)?
            }
        };
        Ok(primary)
    }

    /// The SDK's config: the region, credentials, timeouts and retries, the role to assume,
    /// and the scan's HTTP client.
    async fn sdk_config(
        opts: &SessionOptions,
        primary: &Region,
        credentials: DefaultCredentialsChain,
    ) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(primary.clone())
            .credentials_provider(credentials)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(opts.connect_timeout)
                    .operation_timeout(opts.operation_timeout)
                    .operation_attempt_timeout(opts.operation_timeout / opts.max_attempts.max(1))
                    .build(),
            )
            .retry_config(
                match opts.retry_mode {
                    RetryMode::Standard => RetryConfig::standard(),
                    RetryMode::Adaptive => RetryConfig::adaptive(),
                }
                .with_max_attempts(opts.max_attempts.max(1)),
            );
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(url) = &opts.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let mut config = loader.load().await;

        if let Some(role) = &opts.role_arn {
            // Not resolved here: the first call below assumes the role, and the SDK's shared
            // identity cache keeps the session for every client after it (resolving it here
            // as well would call AssumeRole twice).
            let provider = AssumeRoleProvider::builder(role)
                .session_name("prodready")
                .configure(&config)
                .build()
                .await;
            config = config
                .to_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build();
        }

        // The scan's HTTP client: every request counted (the call log shows the SDK's retries),
        // every XML answer checked whole. After the role's provider is built: its AssumeRole
        // calls are the credentials', not the scan's.
        config
            .to_builder()
            .http_client(prodready_aws::http::client())
            .build()
    }

    /// Who the caller is (GetCallerIdentity, recorded in `log`).
    async fn identify(
        config: &SdkConfig,
        opts: &SessionOptions,
        primary: &Region,
        log: &CallLog,
    ) -> Result<aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput, SetupError>
    {
        let (identity, attempts) = crate::session::calls::counting_attempts(
            aws_sdk_sts::Client::new(config)
                .get_caller_identity()
                .send(),
        )
        .await;
        let identity = identity.map_err(|e| {
            let failure = prodready_aws::classify(&e);
            log.record(
                "sts",
                "GetCallerIdentity",
                primary.as_ref(),
                attempts,
                Some(&failure),
            );
            let detail = failure.message;
            match &opts.role_arn {
                Some(role) => SetupError::AssumeRole {
                    role: role.clone(),
                    detail,
                },
                None => SetupError::Identity(detail),
            }
        })?;

        log.record("sts", "GetCallerIdentity", primary.as_ref(), attempts, None);
        Ok(identity)
    }

    /// The regions asked for (or all the account's), less the excluded ones.
    async fn regions_to_scan(
        config: &SdkConfig,
        opts: &SessionOptions,
        primary: &Region,
        log: &CallLog,
    ) -> Result<Vec<String>, SetupError> {
        let mut regions = opts.regions.clone();
        if opts.all_regions {
            let mut calls = Vec::new();
            let listed = prodready_aws::ec2::describe_regions(config, &mut calls).await;
            for c in &calls {
                log.record(
                    "ec2",
                    c.operation,
                    primary.as_ref(),
                    c.attempts,
                    c.failure.as_ref(),
                );
            }
            regions = listed.map_err(|f| {
                SetupError::Identity(format!(
                    "--all-regions: the account's regions could not be listed (ec2:DescribeRegions): {}",
                    f.message
                ))
            })?;
        }
        if regions.is_empty() {
            regions.push(primary.to_string());
        }
        regions.sort();
        regions.dedup();
        regions.retain(|r| !opts.exclude_regions.contains(r));
        if regions.is_empty() {
            return Err(SetupError::AllRegionsExcluded);
        }
        Ok(regions)
    }

    /// The config for one region: same credentials, timeouts, retries and endpoint.
    pub fn config_for(&self, region: &str) -> SdkConfig {
        self.config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build()
    }
}

async fn resolve_within_deadline(provider: &impl ProvideCredentials) -> Result<(), String> {
    match tokio::time::timeout(CREDENTIALS_DEADLINE, provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(causes(&e)),
        Err(_) => Err(format!(
            "no credential source answered within {} ms",
            CREDENTIALS_DEADLINE.as_millis()
        )),
    }
}

/// An error and its causes, each once, without the debug dump the SDK's own display adds.
fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}

/// Asks every region but the primary (which just answered) who the caller is, once, with a
/// single attempt and the connect timeout: a region that cannot be reached or is not enabled
/// costs one failed call, reported, instead of a timeout per service and retry.
async fn probe_regions(
    config: &SdkConfig,
    regions: &[String],
    primary: &str,
    opts: &SessionOptions,
    log: &CallLog,
) -> Vec<crate::error::CollectError> {
    let probes = regions
        .iter()
        .filter(|r| *r != primary)
        .map(|region| async move {
            let probe = config
                .to_builder()
                .region(Region::new(region.clone()))
                .retry_config(RetryConfig::standard().with_max_attempts(1))
                .timeout_config(
                    TimeoutConfig::builder()
                        .connect_timeout(opts.connect_timeout)
                        .operation_timeout(opts.connect_timeout * 3)
                        .build(),
                )
                .build();
            let (answer, attempts) = crate::session::calls::counting_attempts(
                aws_sdk_sts::Client::new(&probe)
                    .get_caller_identity()
                    .send(),
            )
            .await;
            match answer {
                Ok(_) => {
                    log.record("sts", "GetCallerIdentity", region, attempts, None);
                    None
                }
                Err(e) => {
                    let failure = prodready_aws::classify(&e);
                    log.record("sts", "GetCallerIdentity", region, attempts, Some(&failure));
                    Some(crate::error::CollectError::new(
                        "sts",
                        "GetCallerIdentity",
                        region,
                        failure,
                    ))
                }
            }
        });
    futures::future::join_all(probes)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// Region names look like `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`.
pub fn validate_region(region: &str) -> Result<(), SetupError> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(SetupError::InvalidRegion(region.to_owned()))
    }
}

fn validate_endpoint(url: &str) -> Result<(), SetupError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| SetupError::InvalidEndpoint(url.to_owned()))?;
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(SetupError::InvalidEndpoint(url.to_owned()));
    }
    Ok(())
}

pub fn validate_role_arn(arn: &str) -> Result<(), SetupError> {
    // arn:PARTITION:iam::ACCOUNT:role/NAME
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty());
    if ok {
        Ok(())
    } else {
        Err(SetupError::InvalidRoleArn(arn.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "eu-west-1",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-5",
            "il-central-1",
        ] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "eu-west",
            "EU-WEST-1",
            "euwest1",
            "eu-west-1a",
            "eu--1",
            "europe-west-1",
        ] {
            assert!(validate_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints() {
        assert!(validate_endpoint("http://127.0.0.1:5000").is_ok());
        assert!(validate_endpoint("https://vpce.example.com/").is_ok());
        for bad in ["127.0.0.1:5000", "ftp://x", "http://", "http:// x"] {
            assert!(validate_endpoint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_arns() {
        assert!(validate_role_arn("arn:aws:iam::123456789012:role/audit").is_ok());
        assert!(validate_role_arn("arn:aws-us-gov:iam::123456789012:role/path/audit").is_ok());
        for bad in [
            "audit",
            "arn:aws:iam::1234:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:s3:::b",
        ] {
            assert!(validate_role_arn(bad).is_err(), "{bad}");
        }
    }
}
