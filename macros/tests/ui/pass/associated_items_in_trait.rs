#![deny(unused_doc_comments)]

use corefence_macros::edition;

trait Plan {
    /// Seats included in the plan.
    #[edition(enterprise)]
    type Seats: Default;

    #[edition(enterprise)]
    const NAME: &'static str;

    #[edition(enterprise)]
    const TIER: u8 = 2;

    #[edition(enterprise)]
    fn seats(&self) -> Self::Seats;

    #[edition(enterprise)]
    fn describe(&self) -> String {
        format!("{} (tier {})", Self::NAME, Self::TIER)
    }
}

struct Enterprise;

impl Plan for Enterprise {
    type Seats = u32;
    const NAME: &'static str = "enterprise";
    fn seats(&self) -> u32 {
        Self::Seats::default()
    }
}

fn main() {
    assert_eq!(Enterprise.seats(), 0);
    assert_eq!(Enterprise.describe(), "enterprise (tier 2)");
}
