// mimalloc instead of the system allocator: a build allocates and frees many small values
// (cells, rows, strings) on several threads, where glibc's malloc spent about a sixth of the
// time and held memory freed long ago (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (its bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Memory freed is given back to the system after 10 ms instead of mimalloc 3's 1 s: with
    // a second's worth of freed pages held, a build of 10,000 departments peaked about 17 MB
    // higher; giving it back costs about 1 s more system time in 25 s (BENCHMARKS.md). The
    // environment (MIMALLOC_PURGE_DELAY) still has the last word, for a measurement.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mi_option_set is not thread safe; no other thread exists yet.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
    // A file-size limit (`ulimit -f`) would kill the process in the middle of a write, with
    // no message and the run record left as the last run's. Ignored, the write fails with
    // EFBIG instead, which is told in Chinese (文件太大) and costs nothing, as a full disk.
    #[cfg(unix)]
    // SAFETY: a signal's disposition set before any other thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN)
    };
    huibao::cli::main()
}
