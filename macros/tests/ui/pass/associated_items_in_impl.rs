#![deny(unused_doc_comments)]

use corefence_macros::edition;

trait Plan {
    type Seats;
    const NAME: &'static str;
    fn seats(&self) -> Self::Seats;
}

struct Enterprise;

impl Enterprise {
    /// Only enterprise customers get an audit log.
    #[edition(enterprise)]
    pub fn audit_log(&self) -> &'static str {
        "audit"
    }

    #[edition(enterprise)]
    const SUPPORT_HOURS: u32 = 24;
}

impl Plan for Enterprise {
    /// Seats are counted per tenant.
    #[edition(enterprise)]
    type Seats = u32;

    #[edition(enterprise)]
    const NAME: &'static str = "enterprise";

    #[edition(enterprise)]
    fn seats(&self) -> u32 {
        50
    }
}

fn main() {
    assert_eq!(Enterprise.audit_log(), "audit");
    assert_eq!(Enterprise::SUPPORT_HOURS, 24);
    assert_eq!(Enterprise::NAME, "enterprise");
    assert_eq!(Enterprise.seats(), 50);
}
