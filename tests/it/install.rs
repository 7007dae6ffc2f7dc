//! The release archive and the installer (scripts/release-archive, scripts/install), as the
//! release workflow packs an archive and as a user or the Action installs it: a download that
//! does not match the SHA-256 the user trusts is never installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::*;

const TARGET: &str = "x86_64-unknown-linux-musl";
const VERSION: &str = "0.1.0";

/// A release folder as GitHub serves it (BASE/vVERSION/ARCHIVE), holding an archive of the
/// scanner under test, and the SHA-256 the release wrote beside it.
fn release(dir: &Path) -> (PathBuf, String) {
    let base = dir.join("releases");
    let packed = Command::new(root().join("scripts/release-archive"))
        // The debug build is large: xz's fastest level, not the release's default.
        .env("XZ_OPT", "-0 -T2")
        .arg(TARGET)
        .arg(env!("CARGO_BIN_EXE_prodready"))
        .arg(base.join(format!("v{VERSION}")))
        .output()
        .unwrap();
    assert!(packed.status.success(), "{:?}", text(&packed));
    let archive = base.join(format!("v{VERSION}/prodready-{TARGET}.tar.xz"));
    assert_eq!(text(&packed).0.trim(), archive.to_str().unwrap());
    let sums = std::fs::read_to_string(archive.with_extension("xz.sha256")).unwrap();
    let (sum, name) = sums.trim().split_once("  ").unwrap();
    assert_eq!(name, format!("prodready-{TARGET}.tar.xz"));
    (base, sum.to_owned())
}

fn install(base: &Path, dest: &Path, verify: &[&str]) -> Output {
    Command::new("sh")
        .arg(root().join("scripts/install"))
        .args(["--version", VERSION, "--target", TARGET, "--dir"])
        .arg(dest)
        .args(verify)
        .env("PRODREADY_BASE_URL", format!("file://{}", base.display()))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap()
}

#[test]
fn the_installer_installs_a_release_that_matches_its_pinned_checksum() {
    let dir = temp_dir("install-ok");
    let (base, sum) = release(&dir);
    let dest = dir.join("bin");
    let out = install(&base, &dest, &["--sha256", &sum.to_uppercase()]);
    assert!(out.status.success(), "{:?}", text(&out));
    let version = Command::new(dest.join("prodready"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(text(&version).0.contains(env!("CARGO_PKG_VERSION")));
    // The archive holds what the release notes promise beside the binary.
    let listing = Command::new("tar")
        .arg("-tJf")
        .arg(base.join(format!("v{VERSION}/prodready-{TARGET}.tar.xz")))
        .output()
        .unwrap();
    let names = text(&listing).0;
    for file in ["prodready", "README.md", "LICENSE"] {
        assert!(
            names.contains(&format!("prodready-{TARGET}/{file}")),
            "{names}"
        );
    }
}

#[test]
fn a_download_that_does_not_match_the_pinned_checksum_is_not_installed() {
    let dir = temp_dir("install-tampered");
    let (base, sum) = release(&dir);
    // The release's file replaced after the checksum was pinned, as Trivy's were: the
    // release's own .sha256 replaced with it proves nothing, the pinned one does.
    let archive = base.join(format!("v{VERSION}/prodready-{TARGET}.tar.xz"));
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let dest = dir.join("bin");
    let out = install(&base, &dest, &["--sha256", &sum]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let (_, err) = text(&out);
    assert!(err.contains("does not match the expected"), "{err}");
    assert!(err.contains(&sum), "{err}");
    assert!(!dest.join("prodready").exists());
}

#[test]
fn the_installer_refuses_to_install_what_it_cannot_verify() {
    let dir = temp_dir("install-unverified");
    let (base, _) = release(&dir);
    let dest = dir.join("bin");
    for (verify, says) in [
        (&[][..], "nothing to verify the download against"),
        (&["--sha256", "abc"][..], "64 hexadecimal digits"),
    ] {
        let out = install(&base, &dest, verify);
        assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
        assert!(text(&out).1.contains(says), "{:?}", text(&out));
        assert!(!dest.join("prodready").exists());
    }
    // A version that was never released: the download fails, named.
    let out = Command::new("sh")
        .arg(root().join("scripts/install"))
        .args(["--version", "9.9.9", "--target", TARGET, "--sha256"])
        .arg("0".repeat(64))
        .arg("--dir")
        .arg(&dest)
        .env("PRODREADY_BASE_URL", format!("file://{}", base.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(text(&out).1.contains("cannot download"), "{:?}", text(&out));
}
