//! Link flags of the `myorg` binary. On Linux with glibc, relative relocations are
//! packed (`DT_RELR`): the binary is large, and applying its relocations one by one
//! was a good part of every short command's time (the loader touched over a
//! megabyte of pages). Needs glibc 2.36 or later where it runs (Debian 12, trixie).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.ends_with("-linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
