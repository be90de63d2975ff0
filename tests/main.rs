//! The single integration-test target; each module is one area.

mod gambit_formats;
mod gambit_games;
mod gambit_strategic;
