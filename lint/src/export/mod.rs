//! `corefence export`: writes an edition's build of the workspace as its own tree.

pub mod manifest;
