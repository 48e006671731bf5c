//! Reference solution of `select_first`.

use crossbeam_channel::{Receiver, Select, never, select};

/// Receives from `left` and `right`, whichever is ready first, until both
/// are closed.
pub fn merge<T>(mut left: Receiver<T>, mut right: Receiver<T>) -> Vec<T> {
    let mut merged = Vec::new();
    let mut open = 2;
    while open > 0 {
        // A closed channel is always ready. Swapping it for `never()`, a
        // channel that is never ready, takes it out of the select without
        // changing its shape: Go's trick of setting a channel to `nil`.
        select! {
            recv(left) -> message => match message {
                Ok(value) => merged.push(value),
                Err(_) => {
                    left = never();
                    open -= 1;
                }
            },
            recv(right) -> message => match message {
                Ok(value) => merged.push(value),
                Err(_) => {
                    right = never();
                    open -= 1;
                }
            },
        }
    }
    merged
}

/// Receives from every input, whichever is ready first, until all are closed.
pub fn merge_all<T>(inputs: Vec<Receiver<T>>) -> Vec<T> {
    let mut select = Select::new();
    for input in &inputs {
        select.recv(input);
    }
    let mut merged = Vec::new();
    let mut open = inputs.len();
    while open > 0 {
        let operation = select.select();
        let index = operation.index();
        match operation.recv(&inputs[index]) {
            Ok(value) => merged.push(value),
            // Removed, the closed channel can no longer win the select.
            Err(_) => {
                select.remove(index);
                open -= 1;
            }
        }
    }
    merged
}
