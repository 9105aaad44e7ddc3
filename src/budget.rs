//! The per-page time budget (`[limits] page_time_ms`), enforced cooperatively.
//!
//! No thread is ever spawned and abandoned: the stages are handed a [`Budget`]
//! and look at it at coarse checkpoints — between stages, between chunks of
//! the HTML parse, and every few thousand nodes of the extract walks. Once the
//! deadline has passed the budget says so at every later look, the loops stop
//! early, and [`Pipeline::process`](crate::Pipeline::process) turns that into a
//! per-page [`Error::TimeBudget`](crate::Error::TimeBudget). What the
//! checkpoints cannot cut short is bounded by every stage being linear in the
//! page size (`tests/limits.rs` checks that doubling a page doubles its time).

use std::cell::Cell;
use std::time::{Duration, Instant};

/// How many [`Budget::tick`]s pass between two reads of the clock: a node
/// visit costs tens of nanoseconds, a clock read about as much, so this keeps
/// the cost of the budget under 1% while looking every millisecond or so.
const TICKS_PER_CHECK: u32 = 4096;

/// A deadline for one page, and whether it has passed.
#[derive(Debug)]
pub(crate) struct Budget {
    deadline: Option<Instant>,
    ticks: Cell<u32>,
    over: Cell<bool>,
}

impl Budget {
    /// A budget of `limit` from now; `None` never runs out.
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Budget {
            deadline: limit.map(|d| Instant::now() + d),
            ticks: Cell::new(0),
            over: Cell::new(false),
        }
    }

    /// A budget that never runs out.
    #[cfg(test)]
    pub(crate) fn unlimited() -> Self {
        Self::new(None)
    }

    /// One unit of work done; reads the clock every [`TICKS_PER_CHECK`] calls.
    /// Returns `true` when the deadline has passed (the caller stops).
    #[inline]
    pub(crate) fn tick(&self) -> bool {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t.is_multiple_of(TICKS_PER_CHECK) {
            self.check()
        } else {
            self.over.get()
        }
    }

    /// Reads the clock now. Returns `true` when the deadline has passed.
    pub(crate) fn check(&self) -> bool {
        if !self.over.get() && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.over.set(true);
        }
        self.over.get()
    }

    /// Whether a look at the clock has found the deadline passed.
    pub(crate) fn exceeded(&self) -> bool {
        self.over.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_never_runs_out() {
        let b = Budget::unlimited();
        assert!(!(0..100_000).any(|_| b.tick()));
        assert!(!b.check());
    }

    #[test]
    fn a_passed_deadline_is_seen_within_one_check_interval_and_sticks() {
        let b = Budget::new(Some(Duration::ZERO));
        let n = (1..=TICKS_PER_CHECK).find(|_| b.tick());
        assert_eq!(n, Some(TICKS_PER_CHECK));
        assert!(b.tick() && b.exceeded());
    }
}
