use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};

/// Why a call failed, in the terms an operator acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The caller lacks the IAM permission (or an SCP / resource policy denies it).
    AccessDenied,
    /// The service throttled every attempt the retry policy allowed.
    Throttled,
    /// The operation or an attempt ran past its timeout.
    Timeout,
    /// The endpoint could not be reached (DNS, connect, TLS, reset).
    Network,
    /// The region or account does not offer the service (opt-in region, unsupported API).
    Unavailable,
    /// Any other error the service returned.
    Service,
    /// The response could not be understood (malformed or unexpected body).
    Response,
    /// The request could not be built or signed (e.g. no credentials).
    Request,
    /// The scan was interrupted (SIGINT, SIGTERM) before this read finished.
    Interrupted,
}

/// A failed AWS call, made plain data so that it can be stored in the evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiFailure {
    pub kind: FailureKind,
    /// The service's error code (`AccessDeniedException`, `ThrottlingException` …), when it sent one.
    pub code: Option<String>,
    pub message: String,
    pub http_status: Option<u16>,
}

impl ApiFailure {
    /// The failure of a read the scan's interruption ended (or never started).
    pub fn interrupted() -> ApiFailure {
        ApiFailure {
            kind: FailureKind::Interrupted,
            code: None,
            message: "the scan was interrupted before this read finished".into(),
            http_status: None,
        }
    }
}

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthFailure",
    "NotAuthorized",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
];

const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "LimitExceededException",
];

const UNAVAILABLE: &[&str] = &[
    "OptInRequired",
    "SubscriptionRequiredException",
    "UnsupportedOperation",
    "InvalidAction",
];

/// Classifies an SDK error. Codes are matched because they are the only stable signal the
/// services share (each service models AccessDenied as its own type, or not at all).
pub fn classify<E>(err: &SdkError<E, HttpResponse>) -> ApiFailure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let message = DisplayErrorContext(err).to_string();
    match err {
        SdkError::ServiceError(ctx) => {
            let code = ctx.err().code().map(str::to_owned);
            let status = ctx.raw().status().as_u16();
            let kind = match code.as_deref() {
                Some(c) if ACCESS_DENIED.contains(&c) => FailureKind::AccessDenied,
                Some(c) if THROTTLED.contains(&c) => FailureKind::Throttled,
                Some(c) if UNAVAILABLE.contains(&c) => FailureKind::Unavailable,
                _ if status == 403 => FailureKind::AccessDenied,
                _ if status == 429 => FailureKind::Throttled,
                _ => FailureKind::Service,
            };
            // Without a message the SDK's own text dumps the whole raw response; the status
            // and the start of the body say the same in one line.
            let message = ctx
                .err()
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| unparsed(status, ctx.raw().body().bytes()));
            ApiFailure {
                kind,
                code,
                message,
                http_status: Some(status),
            }
        }
        SdkError::TimeoutError(_) => ApiFailure {
            kind: FailureKind::Timeout,
            code: None,
            message,
            http_status: None,
        },
        SdkError::DispatchFailure(d) => ApiFailure {
            kind: if d.is_timeout() {
                FailureKind::Timeout
            } else {
                FailureKind::Network
            },
            code: None,
            message,
            http_status: None,
        },
        SdkError::ResponseError(r) => ApiFailure {
            kind: FailureKind::Response,
            code: None,
            message,
            http_status: Some(r.raw().status().as_u16()),
        },
        _ => ApiFailure {
            kind: FailureKind::Request,
            code: None,
            message,
            http_status: None,
        },
    }
}

/// Most of the body text an error message quotes.
const BODY_EXCERPT_CHARS: usize = 120;

/// An answer the SDK could not read as an error of the service's protocol: an endpoint that
/// does not implement the operation (an HTML 404), a proxy's error page.
fn unparsed(status: u16, body: Option<&[u8]>) -> String {
    let text = body.map(String::from_utf8_lossy).unwrap_or_default();
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return format!("HTTP {status} with no error code or message");
    }
    let mut excerpt: String = text.chars().take(BODY_EXCERPT_CHARS).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    format!("HTTP {status} with a body that is not a service error: {excerpt}")
}

#[cfg(test)]
mod tests {
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;

    /// A service error as the SDK models an unmodelled one: a code and a message.
    #[derive(Debug)]
    struct Unhandled(ErrorMetadata);

    impl std::fmt::Display for Unhandled {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0.code())
        }
    }

    impl std::error::Error for Unhandled {}

    impl ProvideErrorMetadata for Unhandled {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    fn service_error(status: u16, code: Option<&str>) -> ApiFailure {
        let mut meta = ErrorMetadata::builder().message("boom");
        if let Some(c) = code {
            meta = meta.code(c);
        }
        let raw = Response::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        classify(&SdkError::service_error(Unhandled(meta.build()), raw))
    }

    #[test]
    fn codes_say_what_kind_of_failure_it_is() {
        assert_eq!(
            service_error(400, Some("AccessDeniedException")).kind,
            FailureKind::AccessDenied
        );
        assert_eq!(
            service_error(403, Some("UnauthorizedOperation")).kind,
            FailureKind::AccessDenied
        );
        assert_eq!(
            service_error(400, Some("ThrottlingException")).kind,
            FailureKind::Throttled
        );
        assert_eq!(
            service_error(400, Some("OptInRequired")).kind,
            FailureKind::Unavailable
        );
        assert_eq!(
            service_error(400, Some("ValidationException")).kind,
            FailureKind::Service
        );
    }

    #[test]
    fn an_unparsable_answer_is_one_line_with_the_status_and_the_body_start() {
        let raw = Response::new(
            StatusCode::try_from(404).unwrap(),
            SdkBody::from("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"),
        );
        let f = classify(&SdkError::service_error(
            Unhandled(ErrorMetadata::builder().build()),
            raw,
        ));
        assert_eq!(
            f.message,
            "HTTP 404 with a body that is not a service error: <!doctype html> <html lang=en> <title>404 Not Found</title>"
        );
        assert_eq!(f.http_status, Some(404));
    }

    #[test]
    fn without_a_code_the_status_decides() {
        assert_eq!(service_error(403, None).kind, FailureKind::AccessDenied);
        assert_eq!(service_error(429, None).kind, FailureKind::Throttled);
        assert_eq!(service_error(500, None).kind, FailureKind::Service);
    }

    #[test]
    fn the_failure_keeps_code_message_and_status() {
        let f = service_error(400, Some("AccessDeniedException"));
        assert_eq!(f.code.as_deref(), Some("AccessDeniedException"));
        assert_eq!(f.message, "boom");
        assert_eq!(f.http_status, Some(400));
    }

    #[test]
    fn timeouts_are_timeouts() {
        let err: SdkError<Unhandled, HttpResponse> = SdkError::timeout_error("operation timed out");
        assert_eq!(classify(&err).kind, FailureKind::Timeout);
    }
}
