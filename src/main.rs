fn main() -> std::process::ExitCode {
    blomlada::cli::main()
}
