//! Reference solution of `web_crawler`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
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

/// Crawls from `url` to `depth`, each URL once, a level at a time.
///
/// Level by level (breadth first), every URL is first met on its shortest
/// chain of links, so it is fetched at most once *and* with the most depth
/// left. A crawler that follows links as they come back may meet a URL
/// first on a long chain, mark it seen, and never follow its links.
pub fn crawl(url: &str, depth: usize, fetcher: Arc<dyn Fetcher>) -> BTreeMap<String, Result<String, String>> {
    let mut results = BTreeMap::new();
    // `seen` is only touched by this thread, between levels: no lock needed.
    let mut seen: HashSet<String> = HashSet::from([url.to_string()]);
    let mut level = vec![url.to_string()];
    for _ in 0..depth {
        if level.is_empty() {
            break;
        }
        // Every page of the level at once: a fetch mostly waits, so a thread
        // per fetch costs little and the level takes as long as its slowest.
        let pages: Vec<(String, Result<Page, String>)> = thread::scope(|scope| {
            let fetches: Vec<_> = level
                .iter()
                .map(|url| {
                    let fetcher = &fetcher;
                    scope.spawn(move || (url.clone(), fetcher.fetch(url)))
                })
                .collect();
            fetches.into_iter().map(|f| f.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        });
        let mut next = Vec::new();
        for (url, page) in pages {
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
