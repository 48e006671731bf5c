//! Checks of `parallel_merge_sort`.

grading_kit::subject!();

use grading_kit::{Speedup, expect, expect_eq};
use proptest::prelude::*;

/// The trusted sequential merge sort: the same algorithm, no threads, so the
/// speedup measured is what parallelism gained, not a better algorithm.
mod oracle {
    pub fn merge_sort(v: &mut [u64]) {
        let mut buffer = v.to_vec();
        sort(v, &mut buffer);
    }

    fn sort(v: &mut [u64], buffer: &mut [u64]) {
        if v.len() <= 1 {
            return;
        }
        let mid = v.len() / 2;
        {
            let (v_left, v_right) = v.split_at_mut(mid);
            let (buffer_left, buffer_right) = buffer.split_at_mut(mid);
            sort(v_left, buffer_left);
            sort(v_right, buffer_right);
        }
        let (mut i, mut j) = (0, mid);
        for slot in buffer.iter_mut() {
            if j == v.len() || (i < mid && v[i] <= v[j]) {
                *slot = v[i];
                i += 1;
            } else {
                *slot = v[j];
                j += 1;
            }
        }
        v.copy_from_slice(buffer);
    }

    /// `n` pseudo-random numbers, new ones for each `seed`.
    pub fn large_input(n: usize, seed: u64) -> Vec<u64> {
        grading_kit::helpers::SeededRng::new(seed).take(n).collect()
    }
}

/// A key with a label that takes no part in comparisons: it shows whether
/// equal keys kept their order.
#[derive(Clone, Copy, Debug)]
struct Keyed {
    key: u8,
    side: char,
    index: usize,
}

impl Keyed {
    fn show(&self) -> String {
        format!("{}{}{}", self.key, self.side, self.index)
    }
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Keyed {}

impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

const SPEEDUP_LEN: usize = 1_000_000;

/// `v` sorted by the standard library: sorted, and a permutation of `v`.
fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Sorted `keys` tagged with their side and their index, as `merge` is given
/// them.
fn tagged(keys: &[u8], side: char) -> Vec<Keyed> {
    sorted(keys).iter().enumerate().map(|(i, &key)| Keyed { key, side, index: i }).collect()
}

fn sort_with_subject<T: Ord + Copy + Send>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    subject::merge_sort(&mut v);
    v
}

fn main() {
    grading_kit::checks!()
        .property(
            "merge merges two sorted slices",
            (prop::collection::vec(0..50i32, 0..40), prop::collection::vec(0..50i32, 0..40)),
            |(left, right)| {
                let (left, right) = (sorted(left), sorted(right));
                let mut out = vec![0; left.len() + right.len()];
                subject::merge(&left, &right, &mut out);
                out
            },
            |(left, right), out| expect_eq(out, sorted(&[sorted(left), sorted(right)].concat())),
        )
        .property(
            "merge is stable: on ties, left comes first",
            (prop::collection::vec(0..5u8, 0..20), prop::collection::vec(0..5u8, 0..20)),
            |(left, right)| {
                // The merged elements, each shown as key, side and index.
                let (left, right) = (tagged(left, 'L'), tagged(right, 'R'));
                let mut out = vec![Keyed { key: 0, side: '?', index: 0 }; left.len() + right.len()];
                subject::merge(&left, &right, &mut out);
                out.iter().map(Keyed::show).collect::<Vec<String>>()
            },
            |(left, right), shown| {
                let mut expected = [tagged(left, 'L'), tagged(right, 'R')].concat();
                expected.sort(); // stable: the left elements of a tie stay first
                expect_eq(shown, expected.iter().map(Keyed::show).collect())
            },
        )
        .property(
            "small slices: sorted, and the same elements",
            prop::collection::vec(0..100i32, 0..300),
            |v| sort_with_subject(v),
            |v, actual| expect_eq(actual, sorted(v)),
        )
        .property_with_cases(
            "large slices, split across threads: sorted, and the same elements",
            4,
            prop::collection::vec(any::<u64>(), 20_000..120_000),
            |v| sort_with_subject(v),
            |v, actual| {
                expect(
                    actual == sorted(v),
                    format!(
                        "{} numbers did not come out sorted, or not the same numbers: check how the halves are \
                         split (`split_at_mut(mid)`), that both are sorted before they are merged, and that the \
                         merged result is copied back into `v`",
                        v.len()
                    ),
                )
            },
        )
        .snapshot("a short list", || {
            let v = sort_with_subject(&[31, 4, 15, 9, 26, 5, 35, 8, 97, 9, 32, 3, 84, 62, 6, 43]);
            format!("{v:?}\n")
        })
        .speedup(
            "faster than the sequential merge sort",
            Speedup::seeded(
                |seed| oracle::large_input(SPEEDUP_LEN, seed),
                |v: &Vec<u64>| {
                    let mut v = v.clone();
                    oracle::merge_sort(&mut v);
                    v
                },
                |v: &Vec<u64>| sort_with_subject(v),
            ),
        )
        .main();
}
