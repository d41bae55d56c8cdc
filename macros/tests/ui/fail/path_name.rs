use corefence_macros::edition;

#[edition(editions::enterprise)]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
