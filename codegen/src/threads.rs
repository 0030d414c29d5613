//! The threads the library starts (the second half of a split read, the second share of
//! resolve): with the stack a main thread has.

use std::thread::{Scope, ScopedJoinHandle};

/// The stack of every thread the library starts: what a main thread has on Linux. Values nested
/// to the reader's depth limit are cloned, compared and dropped recursively, and a debug build
/// needs about 2.5 MiB for that (see the hostile tests), more than the 2 MiB std gives.
const STACK_SIZE: usize = 8 << 20;

/// Runs `f` on a new scoped thread with [`STACK_SIZE`]; `None` when the system cannot start one,
/// and the caller then does the work itself.
pub(crate) fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Option<ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn_scoped(scope, f)
        .ok()
}
