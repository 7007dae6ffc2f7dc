//! CloudFront and the WAF in front of it: global, priced at the primary region's prices (the
//! table's CloudFront prices are those of the edge locations nearest it).

use crate::catalog::prices::{assuming, line, Assumptions, CostLine, Prices};
use crate::inventory::{Collected, Inventory};

/// CloudFront transfer and requests, and the WAF in front of it.
pub(super) fn price(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
    if let Some(Collected::Ok(cf)) = &inv.cloudfront {
        let n = cf.distributions.len() as f64;
        if n > 0.0 {
            lines.push(assuming(
                line(
                    "CloudFront data transfer out",
                    n * a.cloudfront_gb_out_per_distribution,
                    "GB",
                    p.cloudfront_gb_out,
                ),
                format!(
                    "{} GB per distribution per month",
                    a.cloudfront_gb_out_per_distribution
                ),
            ));
            lines.push(assuming(
                line(
                    "CloudFront HTTPS requests",
                    n * a.cloudfront_requests_per_distribution,
                    "million requests",
                    p.cloudfront_million_requests,
                ),
                format!(
                    "{}M requests per distribution per month",
                    a.cloudfront_requests_per_distribution
                ),
            ));
        }
        if !cf.web_acls.is_empty() {
            let acls = cf.web_acls.len() as f64;
            let rules: usize = cf.web_acls.iter().map(|w| w.rules.len()).sum();
            lines.push(line("WAF web ACLs", acls, "web ACLs", p.waf_web_acl_month));
            lines.push(line("WAF rules", rules as f64, "rules", p.waf_rule_month));
            lines.push(assuming(
                line(
                    "WAF requests",
                    n * a.cloudfront_requests_per_distribution,
                    "million requests",
                    p.waf_million_requests,
                ),
                format!(
                    "{}M requests per distribution per month",
                    a.cloudfront_requests_per_distribution
                ),
            ));
        }
    }
}
