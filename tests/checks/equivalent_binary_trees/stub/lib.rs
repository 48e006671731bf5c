//! Equivalent binary trees, the Go Tour's exercise: walk two trees
//! concurrently and compare what comes out. Read `README.md` in this folder
//! first.
//!
//! `Tree` is given; write `walk` and `same` at the bottom of this file.

use crossbeam_channel::Sender;

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

/// Sends every value of `tree` into `values`, in order (smallest first),
/// and returns; the channel closes when `values` is dropped, as it is when
/// `walk` returns.
///
/// If nobody is receiving any more (`send` fails), `walk` stops early and
/// returns quietly.
///
/// ```
/// use equivalent_binary_trees::{walk, Tree};
/// let (sender, receiver) = crossbeam_channel::unbounded();
/// walk(&Tree::new(1), sender);
/// assert_eq!(receiver.iter().collect::<Vec<_>>(), (1..=10).collect::<Vec<i64>>());
/// ```
pub fn walk(tree: &Tree, values: Sender<i64>) {
    todo!("send the values of the tree, in order")
}

/// Whether the walks `first` and `second` send the same values (in order,
/// duplicates included): for two trees, whether they hold the same values,
/// whatever their shapes. Runs both walks concurrently, each on a thread of
/// its own with a channel of its own, compares the values as they come, and
/// stops at the first difference.
///
/// A walk is anything that sends values into the `Sender` it is given and
/// returns, like `|values| walk(&tree, values)`.
///
/// ```
/// use equivalent_binary_trees::{same, walk, Tree};
/// let (t1, t2, t3) = (Tree::new(1), Tree::new(1), Tree::new(2));
/// assert!(same(|values| walk(&t1, values), |values| walk(&t2, values)));
/// assert!(!same(|values| walk(&t1, values), |values| walk(&t3, values)));
/// ```
pub fn same<A, B>(first: A, second: B) -> bool
where
    A: FnOnce(Sender<i64>) + Send,
    B: FnOnce(Sender<i64>) + Send,
{
    todo!("run both walks concurrently and compare the values as they come")
}
