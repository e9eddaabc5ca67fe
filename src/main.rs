//! `blomlada`: builds, checks and serves the eBlomlådan site; the work is in the library.

fn main() -> std::process::ExitCode {
    blomlada::cli::main()
}
