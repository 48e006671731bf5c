//! Reference solution of `equivalent_binary_trees`.

use std::thread;

use crossbeam_channel::{SendError, Sender};

/// A binary search tree of integers, like the Go Tour's `tree.Tree`: every
/// value in `left` is smaller than `value`, every value in `right` is at
/// least `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    pub left: Option<Box<Tree>>,
    pub value: i64,
    pub right: Option<Box<Tree>>,
}

impl Tree {
    /// A random tree holding `k, 2k, ..., 10k`, like the Tour's `tree.New(k)`:
    /// the same values, a different shape almost every call.
    pub fn new(k: i64) -> Tree {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new().build_hasher().finish();
        Tree::with_seed(k, seed)
    }

    /// The tree holding `k, 2k, ..., 10k`, inserted in an order that
    /// depends only on `seed`: one seed, one shape.
    pub fn with_seed(k: i64, seed: u64) -> Tree {
        let mut values: Vec<i64> = (1..=10).map(|i| i * k).collect();
        let mut state = seed | 1;
        for i in (1..values.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.swap(i, (state % (i as u64 + 1)) as usize);
        }
        Tree::from_values(&values).expect("ten values make a tree")
    }

    /// The tree made by inserting `values` in this order, or `None` when
    /// there are none.
    pub fn from_values(values: &[i64]) -> Option<Tree> {
        let (first, rest) = values.split_first()?;
        let mut tree = Tree { left: None, value: *first, right: None };
        for &value in rest {
            tree.insert(value);
        }
        Some(tree)
    }

    /// Inserts `value`: left of a node when smaller, right otherwise.
    pub fn insert(&mut self, value: i64) {
        let side = if value < self.value { &mut self.left } else { &mut self.right };
        match side {
            Some(subtree) => subtree.insert(value),
            None => *side = Some(Box::new(Tree { left: None, value, right: None })),
        }
    }
}

/// Sends every value of `tree` into `values`, in order.
///
/// Taking the `Sender` by value is what closes the channel: it is dropped
/// when `walk` returns. The recursion stops at the first failed send (the
/// receiver is gone), through `?`.
pub fn walk(tree: &Tree, values: Sender<i64>) {
    let _ = walk_into(tree, &values);
}

fn walk_into(tree: &Tree, values: &Sender<i64>) -> Result<(), SendError<i64>> {
    if let Some(left) = &tree.left {
        walk_into(left, values)?;
    }
    values.send(tree.value)?;
    if let Some(right) = &tree.right {
        walk_into(right, values)?;
    }
    Ok(())
}

/// Whether two walks send the same values, running both concurrently.
///
/// The channels are unbuffered (`bounded(0)`), like the Tour's: a walker is
/// never more than one value ahead of the comparison. Returning early drops
/// both receivers, so both walkers' next sends fail and they stop, and the
/// scope can join them.
pub fn same<A, B>(first: A, second: B) -> bool
where
    A: FnOnce(Sender<i64>) + Send,
    B: FnOnce(Sender<i64>) + Send,
{
    thread::scope(|scope| {
        let (sender1, values1) = crossbeam_channel::bounded(0);
        let (sender2, values2) = crossbeam_channel::bounded(0);
        scope.spawn(move || first(sender1));
        scope.spawn(move || second(sender2));
        loop {
            match (values1.recv().ok(), values2.recv().ok()) {
                (None, None) => return true,
                (a, b) if a != b => return false,
                _ => {}
            }
        }
    })
}
