//! The HTTP client under the SDK, wrapped to do two things the SDK does not:
//! - count the HTTP requests each call takes. The SDK retries inside a call (throttling, 5xx,
//!   dropped connections, attempt timeouts) and does not say how often; the call log should,
//!   so that a scan under throttling shows its retries;
//! - refuse an XML answer that is not a whole document. The SDK's XML deserialiser reads a
//!   body that breaks off (`<DescribeLoadBalancersResult><Ite`) as an answer with nothing in
//!   it, so a truncated list would pass for an empty account: measured with the emulator
//!   front's `malformed` fault on the query and EC2 protocols. JSON and CBOR bodies are
//!   already refused by their parsers.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::config_bag::ConfigBag;

tokio::task_local! {
    /// The HTTP requests of the call being awaited in this task (see [`counting_attempts`]).
    static ATTEMPTS: Arc<AtomicU64>;
}

/// Awaits one SDK call and counts the HTTP requests it sent; an interrupted scan ends it at
/// once with `None`.
pub async fn attempt_unless_interrupted<F: Future>(call: F) -> (Option<F::Output>, u64) {
    if crate::interrupt::signal().is_some() {
        return (None, 0);
    }
    let counter = Arc::new(AtomicU64::new(0));
    let output = ATTEMPTS
        .scope(counter.clone(), async {
            tokio::select! {
                biased;
                _ = crate::interrupt::requested() => None,
                output = call => Some(output),
            }
        })
        .await;
    (output, counter.load(Ordering::Relaxed))
}

/// Awaits one SDK call and counts the HTTP requests it sent. The SDK retries inside the call
/// and does not say how often; the counting HTTP client below sees every attempt, and this
/// task-local tells it which call it belongs to (the SDK sends from the awaiting task).
pub async fn counting_attempts<F: Future>(call: F) -> (F::Output, u64) {
    let counter = Arc::new(AtomicU64::new(0));
    let output = ATTEMPTS.scope(counter.clone(), call).await;
    (output, counter.load(Ordering::Relaxed))
}

/// The SDK's HTTP client with every request counted and every XML answer checked whole: wrap
/// the loaded config's client in it.
#[derive(Debug)]
pub struct CountingClient(pub SharedHttpClient);

#[derive(Debug)]
struct CountingConnector(SharedHttpConnector);

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let _ = ATTEMPTS.try_with(|n| n.fetch_add(1, Ordering::Relaxed));
        let answer = self.0.call(request);
        HttpConnectorFuture::new(async move { checked(answer.await?).await })
    }
}

impl HttpClient for CountingClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector(
            self.0.http_connector(settings, components),
        ))
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.validate_base_client_config(components, cfg)
    }

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.validate_final_config(components, cfg)
    }
}

/// The SDK's default HTTPS client (hyper 1, rustls with aws-lc, proxy settings from the
/// environment), counted and checked.
pub fn client() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::{tls, Builder, ConnectorBuilder};
    let inner = Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    });
    SharedHttpClient::new(CountingClient(inner))
}

/// A successful XML answer, read whole and checked to be one complete document.
async fn checked(mut answer: HttpResponse) -> Result<HttpResponse, ConnectorError> {
    let xml = answer
        .headers()
        .get("content-type")
        .is_some_and(|t| t.contains("xml"));
    if !xml || !answer.status().is_success() {
        return Ok(answer);
    }
    let body = std::mem::replace(answer.body_mut(), SdkBody::taken());
    let bytes = ByteStream::new(body)
        .collect()
        .await
        .map_err(|e| ConnectorError::io(e.into()))?
        .into_bytes();
    if let Err(why) = whole_document(&bytes) {
        return Err(ConnectorError::other(
            format!("the answer is not a complete XML document ({why})").into(),
            None,
        ));
    }
    *answer.body_mut() = SdkBody::from(bytes);
    Ok(answer)
}

/// Whether `body` is one XML document with every element closed. An empty body is allowed:
/// some operations answer 200 with nothing.
pub fn whole_document(body: &[u8]) -> Result<(), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    let (mut depth, mut roots) = (0usize, 0usize);
    for token in xmlparser::Tokenizer::from(text) {
        match token.map_err(|e| e.to_string())? {
            xmlparser::Token::ElementStart { .. } => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            xmlparser::Token::ElementEnd { end, .. } => match end {
                xmlparser::ElementEnd::Open => {}
                xmlparser::ElementEnd::Close(..) | xmlparser::ElementEnd::Empty => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or("a closing tag with no opening one")?;
                }
            },
            _ => {}
        }
    }
    match (depth, roots) {
        (0, 1) => Ok(()),
        (0, 0) => Err("no element".into()),
        (0, _) => Err("more than one root element".into()),
        (open, _) => Err(format!("{open} element(s) never closed")),
    }
}

#[cfg(test)]
mod tests {
    use super::whole_document;

    #[test]
    fn only_whole_documents_pass() {
        assert!(whole_document(b"").is_ok());
        assert!(whole_document(b"<?xml version=\"1.0\"?>\n<A><B>x</B><C/></A>\n").is_ok());
        for broken in [
            &b"<A><B>x</B>"[..],
            b"<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><Ite",
            b"<A></A><B/>",
            b"</A>",
            b"not xml at all",
            b"<A>\xff</A>",
        ] {
            assert!(
                whole_document(broken).is_err(),
                "{}",
                String::from_utf8_lossy(broken)
            );
        }
    }
}
