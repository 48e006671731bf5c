//! Reference solution of `async_crawler`.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

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

/// Crawls level by level, each level's fetches at the same time, at most
/// `max_in_flight` of them at once.
pub async fn crawl(
    url: &str,
    depth: usize,
    max_in_flight: usize,
    fetcher: Arc<dyn Fetcher>,
) -> BTreeMap<String, Result<String, String>> {
    // One permit per fetch allowed at a time: Go's buffered channel used as
    // a semaphore (`sem <- struct{}{}` ... `<-sem`).
    let permits = Arc::new(Semaphore::new(max_in_flight));
    let mut results = BTreeMap::new();
    // Only this task touches `seen`, between levels: no lock needed.
    let mut seen = HashSet::from([url.to_string()]);
    let mut level = vec![url.to_string()];
    for _ in 0..depth {
        let mut fetches = JoinSet::new();
        for url in level.drain(..) {
            let fetcher = Arc::clone(&fetcher);
            let permits = Arc::clone(&permits);
            fetches.spawn(async move {
                // Held until the fetch is done; dropped, it lets the next in.
                let _permit = permits.acquire_owned().await.expect("the semaphore is never closed");
                let page = fetcher.fetch(&url).await;
                (url, page)
            });
        }
        while let Some(fetched) = fetches.join_next().await {
            let (url, page) = fetched.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
            match page {
                Ok(page) => {
                    level.extend(page.urls.into_iter().filter(|link| seen.insert(link.clone())));
                    results.insert(url, Ok(page.body));
                }
                Err(error) => {
                    results.insert(url, Err(error));
                }
            }
        }
    }
    results
}
