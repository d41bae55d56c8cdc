#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Where the company's identity provider lives.
#[edition(enterprise)]
#[derive(Debug, Clone, PartialEq)]
pub struct SsoConfig {
    pub issuer: String,
}

#[edition(enterprise)]
#[derive(Debug)]
struct SeatCount(u32);

#[edition(enterprise)]
struct Marker;

fn main() {
    let config = SsoConfig {
        issuer: "id.example.com".into(),
    };
    assert_eq!(config.clone(), config);
    assert_eq!(format!("{:?}", SeatCount(3)), "SeatCount(3)");
    let Marker = Marker;
}
