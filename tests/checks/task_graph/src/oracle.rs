//! The trusted sequential reference: check the graph, then run one task at
//! a time in a topological order.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// Why a graph cannot be run: the exercise's `GraphError`, as plain data
/// that can travel between the judge and the subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GraphError {
    UnknownDependency { task: usize, dependency: usize },
    Cycle { blocked: Vec<usize> },
    Panicked { task: usize },
}

impl From<crate::subject::GraphError> for GraphError {
    fn from(error: crate::subject::GraphError) -> Self {
        match error {
            crate::subject::GraphError::UnknownDependency { task, dependency } => {
                GraphError::UnknownDependency { task, dependency }
            }
            crate::subject::GraphError::Cycle { blocked } => GraphError::Cycle { blocked },
            crate::subject::GraphError::Panicked { task } => GraphError::Panicked { task },
        }
    }
}

/// A task as the checks describe it: its id, its dependencies, and how many
/// rounds of [`work`] it does.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Spec {
    pub id: usize,
    pub deps: Vec<usize>,
    pub size: u64,
}

/// CPU-bound work whose result depends on the task's id: `size` rounds of
/// a xorshift generator.
pub fn work(id: usize, size: u64) -> u64 {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ (id as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
    for _ in 0..size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    std::hint::black_box(state)
}

/// A topological order of `specs` (as positions), or why there is none.
pub fn order(specs: &[Spec]) -> Result<Vec<usize>, GraphError> {
    let position: HashMap<usize, usize> = specs.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    for spec in specs {
        for &dependency in &spec.deps {
            if !position.contains_key(&dependency) {
                return Err(GraphError::UnknownDependency { task: spec.id, dependency });
            }
        }
    }
    let mut done = vec![false; specs.len()];
    let mut order = Vec::new();
    loop {
        let next = (0..specs.len()).find(|&i| !done[i] && specs[i].deps.iter().all(|d| done[position[d]]));
        match next {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => break,
        }
    }
    if order.len() < specs.len() {
        let mut blocked: Vec<usize> = (0..specs.len()).filter(|&i| !done[i]).map(|i| specs[i].id).collect();
        blocked.sort_unstable();
        return Err(GraphError::Cycle { blocked });
    }
    Ok(order)
}

/// Runs the tasks one at a time in a topological order.
pub fn run(specs: &[Spec]) -> Result<BTreeMap<usize, u64>, GraphError> {
    Ok(order(specs)?.into_iter().map(|i| (specs[i].id, work(specs[i].id, specs[i].size))).collect())
}
