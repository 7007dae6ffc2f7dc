fn main() -> std::process::ExitCode {
    prodready::cli::main()
}
