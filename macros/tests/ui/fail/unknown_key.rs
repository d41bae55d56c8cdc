use corefence_macros::edition;

#[edition(enterprise, flavor = "x")]
pub fn single_sign_on() {}

fn main() {
    single_sign_on();
}
