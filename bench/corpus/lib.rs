// SPDX-License-Identifier: MIT OR Apache-2.0

//! Empty: this package only pins the crates of the benchmark corpus.
