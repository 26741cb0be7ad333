fn main() -> std::process::ExitCode {
    huibao::cli::main()
}
