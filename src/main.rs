// mimalloc instead of the system allocator: a build allocates and frees many small values
// (cells, rows, strings) on several threads, where glibc's malloc spent about a sixth of the
// time and held memory freed long ago (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    huibao::cli::main()
}
