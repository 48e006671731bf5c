//! Async crawler: the Go Tour's Web Crawler on tokio, with at most so many
//! fetches at a time. Read `README.md` in this folder first.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A fetched page: its body, and the URLs it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub body: String,
    pub urls: Vec<String>,
}

/// What a fetch gives: a future that owns everything it needs, so that it
/// can be spawned as a task.
pub type PageFuture = Pin<Box<dyn Future<Output = Result<Page, String>> + Send>>;

/// Fetches pages. The checks supply a fake one, with a latency for every
/// URL on the runtime's clock.
pub trait Fetcher: Send + Sync {
    /// The page at `url`, or an error message.
    fn fetch(&self, url: &str) -> PageFuture;
}

/// Crawls from `url` and returns what every fetched URL gave: its body, or
/// the fetcher's error message.
///
/// - `depth` as in the Go Tour: a URL is fetched when its shortest chain of
///   links from `url` is shorter than `depth` (`url` itself if
///   `depth >= 1`); a page that failed links to nothing;
/// - each URL is fetched exactly once;
/// - fetches run at the same time, but never more than `max_in_flight` at
///   once (`max_in_flight >= 1`).
pub async fn crawl(
    url: &str,
    depth: usize,
    max_in_flight: usize,
    fetcher: Arc<dyn Fetcher>,
) -> BTreeMap<String, Result<String, String>> {
    todo!("crawl from {url} to depth {depth}, at most {max_in_flight} fetches at a time (a Semaphore)")
}
