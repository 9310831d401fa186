//! Link flags of the `myorg` binary. On Linux with glibc, relative relocations are
//! packed (`DT_RELR`): the binary is large, and applying its relocations one by one
//! was a good part of every short command's time (the loader touched over a
//! megabyte of pages). Needs glibc 2.36 or later where it runs (Debian 12, trixie).
//!
//! The release binary is not position-independent: its addresses are fixed when it
//! is linked, so the loader relocates nothing of it and its read-only data stays
//! shared with the page cache instead of being copied into every process (about a
//! millisecond of each command). The libraries it loads keep their random addresses.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.ends_with("-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
        if std::env::var("PROFILE").as_deref() == Ok("release") {
            println!("cargo:rustc-link-arg-bins=-no-pie");
        }
    }
}
