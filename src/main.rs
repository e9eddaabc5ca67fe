//! `blomlada`: builds, checks and serves the eBlomlådan site; the work is in the library.

// Pages are built from many small strings on every core at once; mimalloc serves those
// with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    without_transparent_huge_pages();
    blomlada::cli::main()
}

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them, and
/// the kernel then clears (and, with memory fragmented by the files just written, first
/// compacts) two megabytes at every first touch; a build frees and takes memory all the time,
/// so that cost recurs. Without them a 10 000-municipality build takes about a tenth less
/// time (docs/benchmarks.md). Failing is harmless: the process runs as before.
fn without_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes nothing but this
    // process's memory policy.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
