//! CloudFront distributions as the edge checks see them (HARD-01/02/09, DOM-01..03).

use super::Outcome;
use super::NOWHERE;
use crate::inventory::{CloudFront, Collected, Distribution, Inventory};

/// CloudFront is global: findings about it carry no region.
pub const NO_REGION: super::At<'static> = super::NOWHERE;

/// The distributions, or the outcome that says why they are not known.
pub fn cloudfront(inv: &Inventory) -> Result<&CloudFront, Outcome> {
    match &inv.cloudfront {
        Some(Collected::Ok(cf)) => Ok(cf),
        Some(Collected::Error(e)) => Err(Outcome::error(NOWHERE, e)),
        None => Err(Outcome::not_collected("CloudFront")),
    }
}

/// Judges each distribution; NOT_APPLICABLE when there is none.
pub fn judge(
    inv: &Inventory,
    mut judge: impl FnMut(&CloudFront, &Distribution) -> Outcome,
) -> Vec<Outcome> {
    let cf = match cloudfront(inv) {
        Ok(cf) => cf,
        Err(o) => return vec![o],
    };
    let out: Vec<Outcome> = cf
        .distributions
        .iter()
        .map(|d| disabled(d).unwrap_or_else(|| judge(cf, d)))
        .collect();
    if out.is_empty() {
        return vec![Outcome::not_applicable("no CloudFront distributions")];
    }
    out
}

/// A disabled distribution serves no request: nothing at its edge needs judging.
pub fn disabled(d: &Distribution) -> Option<Outcome> {
    (!d.enabled).then(|| {
        Outcome::not_applicable_to(
            &d.arn,
            NO_REGION,
            "Enabled=false",
            format!("{} is disabled: it serves nothing", label(d)),
        )
    })
}

/// A distribution as people name it: its first alias, or its CloudFront domain.
pub fn label(d: &Distribution) -> String {
    match d.aliases.first() {
        Some(alias) => format!("distribution {} ({alias})", d.id),
        None => format!("distribution {} ({})", d.id, d.domain_name),
    }
}
