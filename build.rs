//! Link settings of the `deter` binary that make its start-up cheaper.
//!
//! On Linux with glibc the binary is linked as a position-dependent executable (`-no-pie`): a
//! position-independent one makes the dynamic loader apply some twenty thousand relocations at
//! every start, about a quarter of the whole run of a small `deter solve` (see
//! docs/benchmarks.md, "Tiny games"). The library and the tests are not affected.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bin=deter=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
