//! ECS: clusters, services and the task definitions the services run.

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use aws_sdk_ecs::types::{AssignPublicIp, ClusterField, ClusterSettingName, LogDriver, Service};
use futures::{stream, StreamExt, TryStreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{
    CapacityProviderShare, Container, ContainerHealthCheck, DeploymentAlarms,
    DeploymentConfiguration, Ecs, EcsCluster, EcsService, ResourceError, SecretReference,
    ServiceLoadBalancer, TaskDefinition,
};

/// DescribeClusters and DescribeServices take at most this many names per call.
const DESCRIBE_CLUSTERS_BATCH: usize = 100;
const DESCRIBE_SERVICES_BATCH: usize = 10;

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Ecs, CollectError> {
    let client = aws_sdk_ecs::Client::new(&config);

    let cluster_arns: Vec<String> = ctx
        .pages(
            "ListClusters",
            client
                .list_clusters()
                .max_results(100)
                .into_paginator()
                .send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.cluster_arns().iter().cloned())
        .collect();

    // Owned items throughout: the futures run in a spawned task, which must not borrow
    // from the iterator (rustc cannot prove such borrows `Send` for every lifetime).
    let clusters: Vec<EcsCluster> = stream::iter(batches(&cluster_arns, DESCRIBE_CLUSTERS_BATCH))
        .map(|batch| {
            let call = client
                .describe_clusters()
                .set_clusters(Some(batch))
                .include(ClusterField::Settings)
                .send();
            ctx.call("DescribeClusters", call)
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .map_ok(|out| {
            out.clusters()
                .iter()
                .map(|c| EcsCluster {
                    arn: c.cluster_arn().unwrap_or_default().to_owned(),
                    name: c.cluster_name().unwrap_or_default().to_owned(),
                    status: c.status().map(str::to_owned),
                    active_services: c.active_services_count(),
                    running_tasks: c.running_tasks_count(),
                    container_insights: c
                        .settings()
                        .iter()
                        .find(|s| s.name() == Some(&ClusterSettingName::ContainerInsights))
                        .and_then(|s| s.value().map(str::to_owned)),
                })
                .collect::<Vec<_>>()
        })
        .try_concat()
        .await?;

    let (services, service_errors) = services_of_clusters(&ctx, &client, &cluster_arns).await?;
    let (task_definitions, task_definition_errors) =
        task_definitions_of(&ctx, &client, &services).await?;

    let mut ecs = Ecs {
        clusters,
        services,
        task_definitions,
        service_errors,
        task_definition_errors,
    };
    ecs.service_errors
        .sort_by(|a, b| a.resource.cmp(&b.resource));
    ecs.task_definition_errors
        .sort_by(|a, b| a.resource.cmp(&b.resource));
    ecs.clusters.sort_by(|a, b| a.arn.cmp(&b.arn));
    ecs.services.sort_by(|a, b| a.arn.cmp(&b.arn));
    ecs.task_definitions.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(ecs)
}

/// Services of every cluster, listed and described cluster by cluster, clusters at once.
/// A cluster whose services cannot be read is kept as that cluster's error.
async fn services_of_clusters(
    ctx: &Ctx,
    client: &aws_sdk_ecs::Client,
    cluster_arns: &[String],
) -> Result<(Vec<EcsService>, Vec<ResourceError>), CollectError> {
    let per_cluster: Vec<(String, Result<Vec<EcsService>, CollectError>)> =
        stream::iter(cluster_arns.to_vec())
            .map(|cluster| async {
                let result = services_of(ctx, client, cluster.clone()).await;
                (cluster, result)
            })
            .buffer_unordered(PER_COLLECTOR_FANOUT)
            .collect()
            .await;
    let mut services = Vec::new();
    let mut errors = Vec::new();
    for (cluster, result) in per_cluster {
        match result {
            Ok(found) => services.extend(found),
            Err(e) if e.is_interrupted() => return Err(e),
            Err(error) => errors.push(ResourceError {
                resource: cluster,
                error,
            }),
        }
    }
    Ok((services, errors))
}

/// The task definitions the services run, each described once (many services share a
/// revision). One that cannot be described is kept as its error.
async fn task_definitions_of(
    ctx: &Ctx,
    client: &aws_sdk_ecs::Client,
    services: &[EcsService],
) -> Result<(Vec<TaskDefinition>, Vec<ResourceError>), CollectError> {
    let arns: BTreeSet<String> = services
        .iter()
        .filter_map(|s| s.task_definition.clone())
        .collect();
    let described: Vec<(String, Result<_, CollectError>)> = stream::iter(arns)
        .map(|arn| {
            let call = client
                .describe_task_definition()
                .task_definition(arn.clone())
                .send();
            async move { (arn, ctx.call("DescribeTaskDefinition", call).await) }
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    let mut task_definitions = Vec::new();
    let mut errors = Vec::new();
    for (arn, result) in described {
        match result {
            Ok(out) => task_definitions.extend(out.task_definition().map(task_definition)),
            Err(e) if e.is_interrupted() => return Err(e),
            Err(error) => errors.push(ResourceError {
                resource: arn,
                error,
            }),
        }
    }
    Ok((task_definitions, errors))
}

async fn services_of(
    ctx: &Ctx,
    client: &aws_sdk_ecs::Client,
    cluster: String,
) -> Result<Vec<EcsService>, CollectError> {
    let arns: Vec<String> = ctx
        .pages(
            "ListServices",
            client
                .list_services()
                .cluster(&cluster)
                .max_results(100)
                .into_paginator()
                .send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.service_arns().iter().cloned())
        .collect();
    stream::iter(batches(&arns, DESCRIBE_SERVICES_BATCH))
        .map(|batch| {
            let call = client
                .describe_services()
                .cluster(&cluster)
                .set_services(Some(batch))
                .send();
            ctx.call("DescribeServices", call)
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .map_ok(|out| out.services().iter().map(service).collect::<Vec<_>>())
        .try_concat()
        .await
}

fn batches(items: &[String], size: usize) -> Vec<Vec<String>> {
    items.chunks(size).map(<[String]>::to_vec).collect()
}

fn service(s: &Service) -> EcsService {
    let vpc = s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration());
    EcsService {
        arn: s.service_arn().unwrap_or_default().to_owned(),
        name: s.service_name().unwrap_or_default().to_owned(),
        cluster_arn: s.cluster_arn().unwrap_or_default().to_owned(),
        status: s.status().map(str::to_owned),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        scheduling_strategy: s.scheduling_strategy().map(|l| l.as_str().to_owned()),
        desired_count: s.desired_count(),
        running_count: s.running_count(),
        task_definition: s.task_definition().map(str::to_owned),
        load_balancers: s
            .load_balancers()
            .iter()
            .map(|lb| ServiceLoadBalancer {
                target_group_arn: lb.target_group_arn().map(str::to_owned),
                load_balancer_name: lb.load_balancer_name().map(str::to_owned),
                container_name: lb.container_name().map(str::to_owned),
                container_port: lb.container_port(),
            })
            .collect(),
        health_check_grace_period_seconds: s.health_check_grace_period_seconds(),
        deployment: s
            .deployment_configuration()
            .map(|d| DeploymentConfiguration {
                minimum_healthy_percent: d.minimum_healthy_percent(),
                maximum_percent: d.maximum_percent(),
                circuit_breaker_enabled: d.deployment_circuit_breaker().map(|c| c.enable()),
                circuit_breaker_rollback: d.deployment_circuit_breaker().map(|c| c.rollback()),
                alarms: d.alarms().map(|a| DeploymentAlarms {
                    names: a.alarm_names().to_vec(),
                    enable: a.enable(),
                    rollback: a.rollback(),
                }),
            }),
        subnets: vpc.map(|v| v.subnets().to_vec()).unwrap_or_default(),
        security_groups: vpc
            .map(|v| v.security_groups().to_vec())
            .unwrap_or_default(),
        assign_public_ip: vpc
            .and_then(|v| v.assign_public_ip())
            .map(|a| *a == AssignPublicIp::Enabled),
        deployment_controller: s
            .deployment_controller()
            .map(|c| c.r#type().as_str().to_owned()),
        capacity_providers: s
            .capacity_provider_strategy()
            .iter()
            .map(|c| CapacityProviderShare {
                provider: c.capacity_provider().to_owned(),
                base: c.base(),
                weight: c.weight(),
            })
            .collect(),
    }
}

/// Keeps the names of environment variables and drops their values: a value in a task
/// definition is often a secret, and nothing the scanner writes may contain one.
fn task_definition(td: &aws_sdk_ecs::types::TaskDefinition) -> TaskDefinition {
    TaskDefinition {
        arn: td.task_definition_arn().unwrap_or_default().to_owned(),
        family: td.family().unwrap_or_default().to_owned(),
        revision: td.revision(),
        cpu: td.cpu().map(str::to_owned),
        memory: td.memory().map(str::to_owned),
        cpu_architecture: td
            .runtime_platform()
            .and_then(|r| r.cpu_architecture())
            .map(|a| a.as_str().to_owned()),
        containers: td
            .container_definitions()
            .iter()
            .map(|c| Container {
                name: c.name().unwrap_or_default().to_owned(),
                image: c.image().map(str::to_owned),
                environment: c
                    .environment()
                    .iter()
                    .filter_map(|kv| kv.name().map(str::to_owned))
                    .collect(),
                secrets: c
                    .secrets()
                    .iter()
                    .map(|s| SecretReference {
                        name: s.name().to_owned(),
                        value_from: s.value_from().to_owned(),
                    })
                    .collect(),
                ports: Some(
                    c.port_mappings()
                        .iter()
                        .filter_map(|p| p.container_port())
                        .collect(),
                ),
                log_group: c
                    .log_configuration()
                    .filter(|l| *l.log_driver() == LogDriver::Awslogs)
                    .and_then(|l| l.options())
                    .and_then(|o| o.get("awslogs-group"))
                    .cloned(),
                health_check: c
                    .health_check()
                    .filter(|h| !h.command().is_empty() && c.essential().unwrap_or(true))
                    .map(|h| ContainerHealthCheck {
                        interval_seconds: h.interval().unwrap_or(30),
                        retries: h.retries().unwrap_or(3),
                    }),
            })
            .collect(),
    }
}
