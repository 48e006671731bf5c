//! Checks of `async_crawler`.
//!
//! A fake web answers on a current-thread runtime with a paused clock: each
//! page takes a latency of its own in virtual time, and the fake counts the
//! fetches in flight and the fetches of each URL.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grading_kit::{Outcome, expect, fail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use grading_kit::helpers::paused_runtime;
use subject::{Fetcher, Page, PageFuture};

grading_kit::subject!();

type Crawled = BTreeMap<String, Result<String, String>>;

/// Pages by URL: body, links and latency (ms).
struct FakeWeb {
    pages: HashMap<String, (String, Vec<String>, u64)>,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
    fetches: Arc<Mutex<HashMap<String, usize>>>,
}

impl Fetcher for FakeWeb {
    fn fetch(&self, url: &str) -> PageFuture {
        *self.fetches.lock().unwrap_or_else(|poison| poison.into_inner()).entry(url.to_string()).or_default() += 1;
        let page = self.pages.get(url).cloned();
        let url = url.to_string();
        let in_flight = Arc::clone(&self.in_flight);
        let most = Arc::clone(&self.most_in_flight);
        Box::pin(async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            let latency = page.as_ref().map_or(5, |(_, _, latency)| *latency);
            tokio::time::sleep(Duration::from_millis(latency)).await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            match page {
                Some((body, urls, _)) => Ok(Page { body, urls }),
                None => Err(format!("not found: {url}")),
            }
        })
    }
}

impl FakeWeb {
    /// Page `i` is `https://site/i`; links to `n` (and beyond) are missing.
    fn new(links: &[Vec<usize>]) -> Self {
        let pages = links
            .iter()
            .enumerate()
            .map(|(i, to)| {
                let urls = to.iter().map(|&j| url(j)).collect();
                (url(i), (format!("page {i}"), urls, 10 + (i as u64 * 7) % 30))
            })
            .collect();
        FakeWeb { pages, in_flight: Arc::default(), most_in_flight: Arc::default(), fetches: Arc::default() }
    }

    /// What a correct crawl returns, and the width of its second level.
    fn oracle(&self, root: &str, depth: usize) -> (Crawled, usize) {
        let mut results = BTreeMap::new();
        let mut seen = HashSet::from([root.to_string()]);
        let mut level = vec![root.to_string()];
        let mut second_level = 0;
        for round in 0..depth {
            if round == 1 {
                second_level = level.len();
            }
            let mut next = Vec::new();
            for url in level {
                match self.pages.get(&url) {
                    Some((body, urls, _)) => {
                        next.extend(urls.iter().filter(|link| seen.insert((*link).clone())).cloned());
                        results.insert(url, Ok(body.clone()));
                    }
                    None => {
                        results.insert(url.clone(), Err(format!("not found: {url}")));
                    }
                }
            }
            level = next;
        }
        (results, second_level)
    }
}

fn url(i: usize) -> String {
    format!("https://site/{i}")
}

#[derive(Debug, Serialize, Deserialize)]
struct Observed {
    results: Crawled,
    most_in_flight: usize,
    fetched_more_than_once: Vec<String>,
}

fn run_crawl(links: &[Vec<usize>], depth: usize, limit: usize) -> Observed {
    let web = Arc::new(FakeWeb::new(links));
    let runtime = paused_runtime();
    let results = runtime.block_on(subject::crawl(&url(0), depth, limit, Arc::clone(&web) as Arc<dyn Fetcher>));
    let mut fetched_more_than_once: Vec<String> = web
        .fetches
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .iter()
        .filter(|&(_, &count)| count > 1)
        .map(|(url, _)| url.clone())
        .collect();
    fetched_more_than_once.sort();
    Observed { results, most_in_flight: web.most_in_flight.load(Ordering::SeqCst), fetched_more_than_once }
}

fn judge_crawl(links: &[Vec<usize>], depth: usize, limit: usize, seen: Observed) -> Outcome {
    let (expected, second_level) = FakeWeb::new(links).oracle(&url(0), depth);
    if !seen.fetched_more_than_once.is_empty() {
        return fail(format!(
            "{:?} were fetched more than once: keep a set of the URLs seen, and add a link to the next round only \
             if `seen.insert(link)` says it is new",
            seen.fetched_more_than_once
        ));
    }
    if seen.results != expected {
        return fail(format!("crawled {:?}, expected {:?}", seen.results.keys(), expected.keys()));
    }
    expect(
        seen.most_in_flight <= limit,
        format!(
            "{} fetches were in flight at once, with a limit of {limit}: nothing bounded them. Take a permit of an \
             `Arc<Semaphore>` of {limit} (`acquire_owned().await`) in each task before it fetches, and hold it \
             until the fetch is done.",
            seen.most_in_flight
        ),
    )?;
    let wanted = limit.min(second_level);
    expect(
        seen.most_in_flight >= wanted,
        format!(
            "at most {} fetch(es) were in flight at once, though the first page links to {second_level} new pages \
             and {limit} may be fetched at a time: the fetches ran one after another. Spawn them all (a `JoinSet`), \
             and let the semaphore, not the loop, hold them back.",
            seen.most_in_flight
        ),
    )
}

/// Small webs: 1 to 12 pages, each linking to up to 5 others (some
/// missing), a depth of 1 to 4, a limit of 1 to 4.
fn webs() -> impl Strategy<Value = (Vec<Vec<usize>>, usize, usize)> {
    (1..12usize)
        .prop_flat_map(|n| (prop::collection::vec(prop::collection::vec(0..n + 2, 0..6), n), 1..5usize, 1..5usize))
}

fn main() {
    grading_kit::checks!()
        .property(
            "crawls like the oracle, each URL once, within the limit",
            webs(),
            |(links, depth, limit)| run_crawl(links, *depth, *limit),
            |(links, depth, limit), seen| judge_crawl(links, *depth, *limit, seen),
        )
        .case(
            "a wide page, a limit of 3",
            || run_crawl(&[(1..=8).collect(), vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![]], 2, 3),
            |seen| {
                let links: Vec<Vec<usize>> =
                    std::iter::once((1..=8).collect()).chain(std::iter::repeat_n(vec![], 8)).collect();
                judge_crawl(&links, 2, 3, seen)
            },
        )
        .snapshot("a small web, depth 3, two at a time", || {
            let links = [vec![1, 2, 3], vec![0, 4], vec![4, 9], vec![], vec![5]];
            let seen = run_crawl(&links, 3, 2);
            seen.results.iter().map(|(url, result)| format!("{url}: {result:?}")).collect::<Vec<_>>().join("\n")
        })
        .main();
}
