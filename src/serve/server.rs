//! The preview server of `serve`: the output folder over HTTP on loopback, pages that reload
//! after each rebuild (`tower-livereload`), and the error overlay over every page while there
//! are problems.

use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::LiveReloadLayer;

use crate::diagnostics::Diagnostic;

use super::overlay;

/// What the server shows over pages: the overlay markup while there are problems.
#[derive(Default)]
pub(crate) struct Overlay {
    html: RwLock<Option<String>>,
}

impl Overlay {
    /// Sets the problems to show; returns whether that changed what pages show.
    pub(crate) fn set(&self, problems: &[Diagnostic]) -> bool {
        let html = overlay::html(problems);
        match self.html.write() {
            Ok(mut current) => {
                let changed = *current != html;
                *current = html;
                changed
            }
            Err(_) => false,
        }
    }

    fn get(&self) -> Option<String> {
        self.html.read().ok().and_then(|h| h.clone())
    }
}

/// The router: files from `out` (404s get `404.html`), with live reload and the overlay.
pub(crate) fn router(out: &Path, overlay: Arc<Overlay>, live_reload: LiveReloadLayer) -> Router {
    let files = ServeDir::new(out).not_found_service(ServeFile::new(out.join("404.html")));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(overlay, add_overlay))
        .layer(live_reload)
}

/// Pages always come fresh (they change under the browser), and carry the overlay while
/// there are problems. While there are, a browser's revalidation of a page it has cached
/// (`If-None-Match`, `If-Modified-Since`) is answered in full: the file is unchanged (the last
/// good version stays), so a `304 Not Modified` would show the cached page without the overlay.
async fn add_overlay(
    State(overlay): State<Arc<Overlay>>,
    mut request: Request,
    next: Next,
) -> Response {
    if overlay.get().is_some() {
        let headers = request.headers_mut();
        headers.remove(header::IF_NONE_MATCH);
        headers.remove(header::IF_MODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let Some(html) = overlay.get().filter(|_| is_html) else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let Ok(page) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let page = overlay::inject(&page, &html);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    Response::from_parts(parts, Body::from(page))
}
