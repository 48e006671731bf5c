//! Scenarios for schedule exploration: small, so that the explorer can try
//! thousands of interleavings of them (see `grading_kit::Checks::explore`).

/// The rule of the scenario: every cell is the round number, so a board
/// read between two rounds shows as cells that differ.
fn next_round(board: &[i64], i: usize) -> i64 {
    assert!(
        board.iter().all(|&cell| cell == board[0]),
        "a worker read the board {board:?}, which mixes two rounds: some cells were already written for the \
         next round, others not yet. Every worker must finish reading before any writes (a barrier between \
         reading and writing), and finish writing before any reads the next round (a second barrier)"
    );
    board[i] + 1
}

/// Two workers, one cell each, three rounds: every read sees one round.
pub fn two_workers_three_rounds() {
    let board = crate::subject::run_rounds(vec![0, 0], 2, 3, next_round);
    assert!(board == [3, 3], "three rounds of +1 on [0, 0] gave {board:?}, not [3, 3]");
}
