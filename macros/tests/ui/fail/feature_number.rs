use corefence_macros::edition;

#[edition(enterprise, feature = 1)]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
