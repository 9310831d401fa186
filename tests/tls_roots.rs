//! The trusted TLS roots are not read when libgit2 starts, and are read from the usual
//! place (here a file named by `SSL_CERT_FILE`) before the first https connection. Its
//! own test binary: it changes the environment, which no other test may read meanwhile.

use myorg_assistant::store::{load_tls_roots, start_without_tls_roots};

#[test]
fn roots_are_loaded_on_demand_from_where_the_environment_says() {
    // A public root certificate (Let's Encrypt's ISRG Root X1).
    let roots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls/isrg-root-x1.pem");
    // SAFETY: the only test of this binary; nothing else reads the environment.
    unsafe { std::env::set_var("SSL_CERT_FILE", &roots) };
    // SAFETY: as above.
    unsafe { start_without_tls_roots() };
    assert_eq!(
        std::env::var_os("SSL_CERT_FILE").as_deref(),
        Some(roots.as_os_str()),
        "the environment is as it was"
    );
    assert_eq!(load_tls_roots().unwrap(), Some(roots.clone()));
    // Once per process.
    assert_eq!(load_tls_roots().unwrap(), Some(roots));
}
