//! The signature check, on GitHub's documented example (secret "It's a Secret to
//! Everybody", payload "Hello, World!").

use super::*;

#[test]
fn a_signature_is_checked_on_the_raw_bytes() {
    let secret = b"It's a Secret to Everybody";
    let good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert!(signed(secret, b"Hello, World!", Some(good)));
    assert!(!signed(secret, b"Hello, World! ", Some(good)), "other bytes");
    assert!(!signed(b"another secret", b"Hello, World!", Some(good)));
    assert!(!signed(secret, b"Hello, World!", None));
    assert!(!signed(secret, b"Hello, World!", Some("sha1=757107ea")));
    assert!(!signed(secret, b"Hello, World!", Some(&good[..good.len() - 2])));
    assert!(!signed(secret, b"Hello, World!", Some(&good.replace('7', "z"))));
}
