# syntax=docker/dockerfile:1
# prodready's image: the static binary and the CA certificates, nothing else (no shell, no
# package manager), running as a non-root user. See docs/install.md.
#
# From source, for the machine's architecture (the default, last stage):
#   docker build -t prodready .
# What the release workflow publishes: the release's own static binaries, already built and
# attested, put into the image without compiling (no RUN: no emulation for the other
# architecture), both architectures in one manifest:
#   docker buildx build --target release --platform linux/amd64,linux/arm64 -t IMAGE .
#   with dist/prodready-linux-amd64 and dist/prodready-linux-arm64 in the context.
# Run it with the AWS credentials of the environment, e.g.
#   docker run --rm -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY \
#     -e AWS_SESSION_TOKEN -v "$PWD/out:/out" IMAGE scan --output-dir /out

# The CA bundle the scanner's TLS client trusts (rustls-native-certs reads this file); Alpine's
# base image carries it (ca-certificates-bundle).
FROM alpine:3.22 AS certs

# A static musl build: Alpine's Rust image targets x86_64/aarch64-unknown-linux-musl natively
# and carries gcc and musl-dev, which aws-lc-sys's C needs.
FROM rust:1.95-alpine3.22 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock LICENSE README.md ./
COPY crates crates
COPY src src
COPY checks checks
COPY prices prices
RUN cargo build --release --locked --bin prodready \
 && cp target/release/prodready /prodready

FROM scratch AS release
ARG TARGETARCH
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --chmod=0755 dist/prodready-linux-${TARGETARCH} /prodready
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
# 65532: the conventional "nonroot" user of distroless images; no passwd file is needed.
USER 65532:65532
ENTRYPOINT ["/prodready"]
CMD ["--help"]

FROM scratch AS source
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /prodready /prodready
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
ENTRYPOINT ["/prodready"]
CMD ["--help"]
