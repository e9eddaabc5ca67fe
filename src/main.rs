//! `blomlada`: builds, checks and serves the eBlomlådan site; the work is in the library.

// Pages are built from many small strings on every core at once; mimalloc serves those
// with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    blomlada::cli::main()
}
