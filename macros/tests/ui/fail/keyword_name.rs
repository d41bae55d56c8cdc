use corefence_macros::edition;

#[edition(crate)]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
