//! Checks of `web_crawler`, on a fake web with injected latencies that
//! counts the fetches running at once.

grading_kit::subject!();

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use grading_kit::helpers::Rendezvous;
use grading_kit::{Outcome, expect, expect_eq};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use subject::{Fetcher, Page};

/// A fake web: pages (body, links), a latency for every URL, a count of
/// how often each URL was fetched, and of the fetches running at once.
struct FakeWeb {
    pages: HashMap<String, (String, Vec<String>)>,
    latency: HashMap<String, Duration>,
    fetched: Mutex<BTreeMap<String, usize>>,
    /// Fetches running now, and the most that ever ran at once.
    running: AtomicUsize,
    most_at_once: AtomicUsize,
    /// Where fetches of any URL but `meeting_skips` wait for one another
    /// before their latency, and how many had arrived when each stopped
    /// waiting.
    meeting: Option<Rendezvous>,
    meeting_skips: String,
    met: Mutex<Vec<usize>>,
}

impl Fetcher for FakeWeb {
    fn fetch(&self, url: &str) -> Result<Page, String> {
        *self.fetched.lock().unwrap().entry(url.to_string()).or_insert(0) += 1;
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        if let Some(meeting) = self.meeting.as_ref().filter(|_| url != self.meeting_skips) {
            let seen = meeting.arrive();
            self.met.lock().unwrap().push(seen);
        }
        thread::sleep(self.latency.get(url).copied().unwrap_or_default());
        self.running.fetch_sub(1, Ordering::SeqCst);
        match self.pages.get(url) {
            Some((body, urls)) => Ok(Page { body: body.clone(), urls: urls.clone() }),
            None => Err(format!("not found: {url}")),
        }
    }
}

impl FakeWeb {
    fn new(pages: &[(&str, &str, &[&str])], latency: impl Fn(&str) -> Duration) -> Self {
        let pages: HashMap<String, (String, Vec<String>)> = pages
            .iter()
            .map(|(url, body, links)| {
                (url.to_string(), (body.to_string(), links.iter().map(|l| l.to_string()).collect()))
            })
            .collect();
        let mut urls: HashSet<String> = pages.keys().cloned().collect();
        urls.extend(pages.values().flat_map(|(_, links)| links.iter().cloned()));
        let latency = urls.into_iter().map(|url| (url.clone(), latency(&url))).collect();
        FakeWeb {
            pages,
            latency,
            fetched: Mutex::new(BTreeMap::new()),
            running: AtomicUsize::new(0),
            most_at_once: AtomicUsize::new(0),
            meeting: None,
            meeting_skips: String::new(),
            met: Mutex::new(Vec::new()),
        }
    }

    /// Makes every fetch but `root`'s wait, before its latency, until
    /// `parties` fetches have arrived (or `patience` has passed).
    fn with_meeting(mut self, root: &str, parties: usize, patience: Duration) -> Self {
        self.meeting = Some(Rendezvous::new(parties, patience));
        self.meeting_skips = root.to_string();
        self
    }

    /// The crawl, breadth first, one fetch at a time, without sleeping.
    fn oracle(&self, root: &str, depth: usize) -> BTreeMap<String, Result<String, String>> {
        let mut results = BTreeMap::new();
        let mut seen = HashSet::from([root.to_string()]);
        let mut queue = VecDeque::from([(root.to_string(), 0)]);
        while let Some((url, distance)) = queue.pop_front() {
            if distance >= depth {
                continue;
            }
            match self.pages.get(&url) {
                Some((body, links)) => {
                    for link in links {
                        if seen.insert(link.clone()) {
                            queue.push_back((link.clone(), distance + 1));
                        }
                    }
                    results.insert(url, Ok(body.clone()));
                }
                None => {
                    results.insert(url.clone(), Err(format!("not found: {url}")));
                }
            }
        }
        results
    }
}

/// What the learner's crawl returned, how often it fetched each URL, the
/// most fetches that ran at once, and what the fetches saw at the meeting.
#[derive(Debug, Serialize, Deserialize)]
struct Crawl {
    results: BTreeMap<String, Result<String, String>>,
    fetched: BTreeMap<String, usize>,
    most_at_once: usize,
    met: Vec<usize>,
}

/// The learner's half: crawls `web` from `root` with `workers`.
fn crawl(web: FakeWeb, root: &str, depth: usize, workers: usize) -> Crawl {
    let web = Arc::new(web);
    let results = subject::crawl(root, depth, Arc::clone(&web) as Arc<dyn Fetcher>, workers);
    let fetched = web.fetched.lock().unwrap().clone();
    let met = web.met.lock().unwrap().clone();
    Crawl { results, fetched, most_at_once: web.most_at_once.load(Ordering::SeqCst), met }
}

fn at_most(workers: usize, most_at_once: usize) -> Outcome {
    expect(
        most_at_once <= workers,
        format!(
            "{most_at_once} fetches ran at once, but `workers` was {workers}: never more than {workers} fetches \
             at once. A thread per URL has no bound: a page with ten thousand links starts ten thousand threads. \
             Start `workers` threads and let each take URL after URL (a shared queue, or a shared index into the \
             level)."
        ),
    )
}

fn fetched_twice(fetched: &BTreeMap<String, usize>) -> Outcome {
    let twice: Vec<String> =
        fetched.iter().filter(|(_, n)| **n > 1).map(|(url, n)| format!("{url} ({n} times)")).collect();
    expect(
        twice.is_empty(),
        format!(
            "fetched more than once: {}. Remember the URLs already fetched (or being fetched) in one set, \
             checked and updated in one step, before starting a fetch: a `Mutex<HashSet<String>>`, or a single \
             thread that owns the set and hands out the fetches.",
            twice.join(", ")
        ),
    )
}

/// Page `i` of a random web.
fn random_url(i: usize) -> String {
    format!("https://x.test/{i}")
}

/// The web that [`webs`] describes: page `i` links to `links[i]`, and
/// fetching page `i` (existing or not) takes `latency_us[i]` µs.
fn random_web(links: &[Vec<usize>], latency_us: &[u64]) -> FakeWeb {
    let names: Vec<String> = (0..links.len()).map(random_url).collect();
    let link_names: Vec<Vec<String>> = links.iter().map(|l| l.iter().map(|&i| random_url(i)).collect()).collect();
    let pages: Vec<(&str, &str, Vec<&str>)> = names
        .iter()
        .zip(&link_names)
        .map(|(name, links)| (name.as_str(), name.as_str(), links.iter().map(String::as_str).collect()))
        .collect();
    let pages: Vec<(&str, &str, &[&str])> = pages.iter().map(|(u, b, l)| (*u, *b, l.as_slice())).collect();
    FakeWeb::new(&pages, |u| {
        let i: usize = u.rsplit('/').next().unwrap().parse().unwrap();
        Duration::from_micros(latency_us[i])
    })
}

/// The root links to `fan_out` pages, each to two of its own and back to
/// the root: 1 + 8 + 16 pages of 20 ms each, long enough that fetches
/// started together overlap, even on a busy machine.
fn fan_out_web(fan_out: usize) -> FakeWeb {
    let children: Vec<String> = (0..fan_out).map(|i| format!("https://x.test/{i}")).collect();
    let grandchildren: Vec<Vec<String>> =
        children.iter().map(|c| vec![format!("{c}/a"), format!("{c}/b"), "https://x.test/".into()]).collect();
    let mut pages: Vec<(&str, &str, &[&str])> = Vec::new();
    let child_refs: Vec<&str> = children.iter().map(String::as_str).collect();
    pages.push(("https://x.test/", "root", &child_refs));
    let grand_refs: Vec<Vec<&str>> = grandchildren.iter().map(|g| g.iter().map(String::as_str).collect()).collect();
    for (child, grand) in children.iter().zip(&grand_refs) {
        pages.push((child, "child", grand));
    }
    let leaves: Vec<&str> = grandchildren.iter().flat_map(|g| g[..2].iter().map(String::as_str)).collect();
    for leaf in &leaves {
        pages.push((leaf, "leaf", &[]));
    }
    FakeWeb::new(&pages, |_| Duration::from_millis(20))
}

const FAN_OUT: usize = 8;
/// Workers of the crawl of the fan-out web: fewer than the pages of its
/// second and third levels.
const FAN_OUT_WORKERS: usize = 3;
/// How long a fetch of the fan-out web waits for the others: far more than
/// it takes threads that are running to arrive, on a loaded machine.
const MEETING_PATIENCE: Duration = Duration::from_secs(1);

/// A random little web: page `i` is `https://x.test/i`; links may point to
/// pages that do not exist (numbers past the last page). Then a depth, and
/// a number of workers.
fn webs() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<u64>, usize, usize)> {
    (1..9usize).prop_flat_map(|n| {
        (
            prop::collection::vec(prop::collection::vec(0..n + 2, 0..4), n),
            prop::collection::vec(0..3000u64, n + 2),
            0..5usize,
            1..5usize,
        )
    })
}

const TOUR: &[(&str, &str, &[&str])] = &[
    ("https://golang.org/", "The Go Programming Language", &["https://golang.org/pkg/", "https://golang.org/cmd/"]),
    (
        "https://golang.org/pkg/",
        "Packages",
        &[
            "https://golang.org/",
            "https://golang.org/cmd/",
            "https://golang.org/pkg/fmt/",
            "https://golang.org/pkg/os/",
        ],
    ),
    ("https://golang.org/pkg/fmt/", "Package fmt", &["https://golang.org/", "https://golang.org/pkg/"]),
    ("https://golang.org/pkg/os/", "Package os", &["https://golang.org/", "https://golang.org/pkg/"]),
];

fn main() {
    grading_kit::checks!()
        .property(
            "fetches each URL once, to the depth, on at most `workers` threads",
            webs(),
            |(links, latency_us, depth, workers)| {
                crawl(random_web(links, latency_us), &random_url(0), *depth, *workers)
            },
            |(links, latency_us, depth, workers), crawl| {
                fetched_twice(&crawl.fetched)?;
                at_most(*workers, crawl.most_at_once)?;
                expect_eq(crawl.results, random_web(links, latency_us).oracle(&random_url(0), *depth))
            },
        )
        .case(
            "fetches `workers` pages at the same time, and no more",
            || {
                let web = fan_out_web(FAN_OUT).with_meeting("https://x.test/", FAN_OUT_WORKERS, MEETING_PATIENCE);
                crawl(web, "https://x.test/", 3, FAN_OUT_WORKERS)
            },
            |crawl| {
                let (web, workers) = (fan_out_web(FAN_OUT), FAN_OUT_WORKERS);
                fetched_twice(&crawl.fetched)?;
                expect_eq(crawl.results.len(), web.pages.len())?;
                at_most(workers, crawl.most_at_once)?;
                expect(
                    crawl.met.iter().all(|&met| met >= workers),
                    format!(
                        "the root links to {FAN_OUT} pages, and each of their fetches waited (up to {} s) until \
                         {workers} fetches had started, but they saw {:?}: the pages were fetched one after another. \
                         A fetch mostly waits; fetch the pages you know about {workers} at a time, on {workers} \
                         threads, and only wait for their results together.",
                        MEETING_PATIENCE.as_secs(),
                        &crawl.met[..crawl.met.len().min(FAN_OUT)]
                    ),
                )
            },
        )
        .snapshot("the Go Tour's fake fetcher, depth 4", || {
            let web = FakeWeb::new(TOUR, |url| Duration::from_millis(url.len() as u64 % 3));
            let mut out = String::new();
            for (url, result) in crawl(web, "https://golang.org/", 4, 2).results {
                match result {
                    Ok(body) => out.push_str(&format!("found: {url} {body:?}\n")),
                    Err(error) => out.push_str(&format!("{error}\n")),
                }
            }
            out
        })
        .main();
}
