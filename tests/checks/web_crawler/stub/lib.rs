//! Web crawler: the Go Tour's last exercise, in Rust. Read `README.md` in
//! this folder first.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A fetched page: its body, and the URLs it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub body: String,
    pub urls: Vec<String>,
}

/// Fetches pages. The checks supply a fake one, with a latency of its own
/// for every URL. It is shared between threads, hence `Send + Sync`.
pub trait Fetcher: Send + Sync {
    /// The page at `url`, or an error message (for example
    /// `"not found: https://golang.org/cmd/"`).
    fn fetch(&self, url: &str) -> Result<Page, String>;
}

/// Crawls from `url` and returns what every fetched URL gave: its body, or
/// the fetcher's error message.
///
/// - `depth` as in the Go Tour's `Crawl`: `url` itself is fetched if
///   `depth >= 1`, the pages it links to if `depth >= 2`, and so on: a URL
///   is fetched when its shortest chain of links from `url` is shorter than
///   `depth`. A page that failed to fetch links to nothing;
/// - each URL is fetched **exactly once**, however many pages link to it;
/// - fetch concurrently, on at most `workers` threads (`workers` is at
///   least 1): pages that are known and not yet fetched should be fetched
///   at the same time, `workers` of them at once, and never more;
/// - return when everything is fetched, with no thread left running.
///
/// ```no_run
/// use std::sync::Arc;
/// use web_crawler::{Fetcher, Page, crawl};
///
/// struct OnePage;
/// impl Fetcher for OnePage {
///     fn fetch(&self, url: &str) -> Result<Page, String> {
///         Ok(Page { body: format!("the body of {url}"), urls: vec![url.to_string()] })
///     }
/// }
///
/// let results = crawl("https://example.org/", 3, Arc::new(OnePage), 4);
/// assert_eq!(results.len(), 1);
/// ```
pub fn crawl(
    url: &str,
    depth: usize,
    fetcher: Arc<dyn Fetcher>,
    workers: usize,
) -> BTreeMap<String, Result<String, String>> {
    todo!("crawl from {url} to depth {depth}, each URL once, {workers} fetches at a time")
}
