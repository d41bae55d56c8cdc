#![deny(unused_doc_comments)]

use corefence_macros::edition;

/// Signs a user in through the company's identity provider.
#[edition(enterprise)]
pub fn single_sign_on(user: &str) -> String {
    format!("session for {user}")
}

#[edition(enterprise)]
/// Docs written below the attribute stay on the item too.
const fn seats(base: u32) -> u32 {
    base * 10
}

#[edition(enterprise)]
fn largest<T: PartialOrd + Copy>(items: &[T]) -> Option<T> {
    items
        .iter()
        .copied()
        .reduce(|a, b| if b > a { b } else { a })
}

#[edition(enterprise)]
async fn fetch_license() -> u8 {
    1
}

#[edition(enterprise)]
#[allow(unsafe_code)]
unsafe fn raw_seat_count(pointer: *const u32) -> u32 {
    unsafe { *pointer }
}

fn main() {
    assert_eq!(single_sign_on("ada"), "session for ada");
    assert_eq!(seats(3), 30);
    assert_eq!(largest(&[3, 9, 4]), Some(9));
    drop(fetch_license());
    let count = 7;
    assert_eq!(unsafe { raw_seat_count(&count) }, 7);
}
