use corefence_macros::edition;

#[edition(enterprise, feature = enterprise)]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
