//! Reference solution of `web_crawler`.

use std::collections::{BTreeMap, HashSet};
use std::panic::resume_unwind;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// A fetched page: its body, and the URLs it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub body: String,
    pub urls: Vec<String>,
}

/// Fetches pages; shared between threads.
pub trait Fetcher: Send + Sync {
    /// The page at `url`, or an error message.
    fn fetch(&self, url: &str) -> Result<Page, String>;
}

/// Crawls from `url` to `depth`, each URL once, a level at a time, with at
/// most `workers` fetches at once.
///
/// Level by level (breadth first), every URL is first met on its shortest
/// chain of links, so it is fetched at most once *and* with the most depth
/// left. A crawler that follows links as they come back may meet a URL
/// first on a long chain, mark it seen, and never follow its links.
pub fn crawl(
    url: &str,
    depth: usize,
    fetcher: Arc<dyn Fetcher>,
    workers: usize,
) -> BTreeMap<String, Result<String, String>> {
    let mut results = BTreeMap::new();
    // `seen` is only touched by this thread, between levels: no lock needed.
    let mut seen: HashSet<String> = HashSet::from([url.to_string()]);
    let mut level = vec![url.to_string()];
    for _ in 0..depth {
        if level.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for (url, page) in fetch_level(&level, fetcher.as_ref(), workers) {
            let body = page.map(|page| {
                next.extend(page.urls.into_iter().filter(|link| seen.insert(link.clone())));
                page.body
            });
            results.insert(url, body);
        }
        level = next;
    }
    results
}

/// Fetches every URL of `level` on at most `workers` threads. Each worker
/// takes the next URL nobody has taken (a shared index, Go's `jobs`
/// channel in one number) until none is left: a slow page holds up one
/// worker, not a whole share of the level.
fn fetch_level(level: &[String], fetcher: &dyn Fetcher, workers: usize) -> Vec<(String, Result<Page, String>)> {
    let next = AtomicUsize::new(0);
    thread::scope(|scope| {
        let pool: Vec<_> = (0..workers.clamp(1, level.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut fetched = Vec::new();
                    while let Some(url) = level.get(next.fetch_add(1, Ordering::Relaxed)) {
                        fetched.push((url.clone(), fetcher.fetch(url)));
                    }
                    fetched
                })
            })
            .collect();
        pool.into_iter().flat_map(|worker| worker.join().unwrap_or_else(|panic| resume_unwind(panic))).collect()
    })
}
