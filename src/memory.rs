//! The allocator, counting what each thread holds, so that work a site's file asks for (a
//! template that grows a string without end) is stopped with an error naming the file rather
//! than by the machine running out of memory.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    /// Bytes this thread allocated in large blocks less those it freed: a block freed by
    /// another thread counts there, so only differences over one thread's own work mean
    /// anything.
    static HELD: Cell<isize> = const { Cell::new(0) };
}

/// The smallest block counted. What runs away is one string or list grown again and again,
/// in ever larger blocks; skipping the many small ones keeps counting nearly free.
const COUNTED: usize = 4096;

/// mimalloc, which serves the many small strings and maps rendering makes faster than the
/// system's allocator, counting each thread's allocations.
pub struct Counting;

#[inline]
fn count(bytes: usize, sign: isize) {
    if bytes >= COUNTED {
        let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
        HELD.set(HELD.get().wrapping_add(sign.wrapping_mul(bytes)));
    }
}

// SAFETY: every call is passed on unchanged to mimalloc, which upholds the contract; counting
// touches only a thread-local cell, which neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        // SAFETY: the caller's layout, as the contract requires.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size(), -1);
        // SAFETY: `ptr` was allocated by mimalloc with `layout`.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(layout.size(), -1);
        count(new_size, 1);
        // SAFETY: `ptr` was allocated by mimalloc with `layout`.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// Frees `value` on a thread of its own: freeing a build's many small blocks takes a noticeable
/// time that nothing waits on. Freed here when no thread can be started.
pub(crate) fn free_elsewhere<T: Send + 'static>(value: T) {
    // A thread that cannot start hands its closure back dropped, and `value` with it.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// What this thread holds now in large blocks, by the counting allocator; 0 when another is installed.
pub(crate) fn held() -> isize {
    HELD.get()
}

/// Keeps the kernel from backing this process's memory with 2 MiB pages. The allocator hands
/// freed memory back and asks for it again as a build moves from stage to stage, and each time
/// a huge page is zeroed whole: at 10,000 posts that cost an eighth of the build's CPU and a
/// third more peak memory.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointer; it only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
