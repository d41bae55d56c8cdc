use corefence_macros::edition;

#[edition(enterprise, pro)]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
