//! The dashboard's static files, embedded in the binary: htmx, the stylesheet and a
//! few lines of script. Each is served under a name holding a hash of its bytes
//! (`/static/style-1a2b3c4d.css`), so a browser may keep it for a year; a new
//! build gives new names. Served gzip-compressed to browsers that accept it.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::LazyLock;

/// One embedded file.
pub struct Asset {
    /// Its name with the hash: `htmx-0a1b2c3d.js`.
    pub name: String,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    pub gzipped: Vec<u8>,
}

/// The embedded files, hashed and compressed once.
pub struct Assets {
    pub htmx: Asset,
    pub style: Asset,
    pub script: Asset,
}

impl Assets {
    /// Every asset.
    fn all(&self) -> [&Asset; 3] {
        [&self.htmx, &self.style, &self.script]
    }
}

/// The assets of this build.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets {
    htmx: asset(
        "htmx",
        "js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/htmx-2.0.8.min.js"),
    ),
    style: asset(
        "style",
        "css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/web/style.css"),
    ),
    script: asset(
        "app",
        "js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/app.js"),
    ),
});

fn asset(stem: &str, extension: &str, content_type: &'static str, bytes: &'static [u8]) -> Asset {
    let hash = Sha256::digest(bytes);
    let short: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let gzipped = match encoder.write_all(bytes) {
        Ok(()) => encoder.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    Asset {
        name: format!("{stem}-{short}.{extension}"),
        content_type,
        bytes,
        gzipped,
    }
}

/// `GET /static/{name}`: the asset, cached for a year, compressed when the browser
/// accepts gzip; 404 for any other name.
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.all().into_iter().find(|asset| asset.name == name) else {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    };
    let gzip = accepts_gzip(&headers) && !asset.gzipped.is_empty();
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, asset.content_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(header::VARY, "accept-encoding");
    let response = if gzip {
        builder
            .header(header::CONTENT_ENCODING, "gzip")
            .body(Body::from(asset.gzipped.clone()))
    } else {
        builder.body(Body::from(asset.bytes))
    };
    response.unwrap_or_default()
}

/// Whether the request says it takes gzip.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|coding| coding.trim().starts_with("gzip")))
}
