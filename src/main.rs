fn main() -> std::process::ExitCode {
    dfd_threats::cli::main()
}
