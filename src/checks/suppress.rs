//! Suppressions: a team's recorded decision to accept a failing finding for a while.
//!
//! A suppression names a check, a resource pattern, a reason and optionally an expiry and an
//! approver (`[[suppressions]]` in the config). A failing finding it matches becomes
//! SUPPRESSED: still listed, with the reason, but no longer failing the exit code. It does not
//! change the score or the grade: the account is what it is, the suppression only records that
//! someone accepted it. A suppression without a reason, or past its expiry (judged against the
//! scan's clock, so a stored scan re-evaluates identically), stops suppressing; the findings it
//! matches stay FAIL and say why the suppression did not hold.

use serde::{Deserialize, Serialize};

use crate::checks::{Finding, Status};
use crate::config::Suppression;

/// Whether a suppression holds on the scan's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    Expired,
    NoReason,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Expired => "expired",
            State::NoReason => "no reason given",
        }
    }
}

/// The suppression a finding matched, as recorded on the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// Its position in the config's `suppressions` list, from 0.
    pub index: usize,
    pub state: State,
    pub reason: Option<String>,
    pub expires: Option<String>,
    pub approved_by: Option<String>,
}

impl Applied {
    /// The suppression as one line: its reason, approver and expiry, and whether it holds.
    pub fn note(&self) -> String {
        let mut note = match self.state {
            State::Active => "suppressed".to_owned(),
            state => format!("suppression does not hold ({})", state.as_str()),
        };
        if let Some(r) = self.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            note.push_str(&format!(": {r}"));
        }
        if let Some(who) = &self.approved_by {
            note.push_str(&format!(" · approved by {who}"));
        }
        if let Some(until) = &self.expires {
            note.push_str(&format!(" · until {until}"));
        }
        note
    }
}

/// What became of each configured suppression in a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub index: usize,
    pub check: String,
    pub resource: String,
    pub state: State,
    /// Failing findings it matched (suppressed when active).
    pub matched: usize,
}

impl Suppression {
    /// Holds on `today` (`YYYY-MM-DD`): has a reason and has not expired.
    pub fn state(&self, today: &str) -> State {
        if self.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            State::NoReason
        } else if self.expires.as_deref().is_some_and(|e| e < today) {
            State::Expired
        } else {
            State::Active
        }
    }

    fn matches(&self, f: &Finding) -> bool {
        f.check_id == self.check
            && crate::checks::glob_match(&self.resource, f.resource_arn.as_deref().unwrap_or(""))
    }
}

/// The scan's day, from the inventory's clock (RFC 3339).
fn day(collected_at: &str) -> &str {
    collected_at.get(..10).unwrap_or(collected_at)
}

/// Marks the failing findings the suppressions match: SUPPRESSED under the first active one,
/// else FAIL annotated with the first one that matched but does not hold.
pub fn apply(findings: &mut [Finding], suppressions: &[Suppression], collected_at: &str) {
    let today = day(collected_at);
    for f in findings.iter_mut().filter(|f| f.status == Status::Fail) {
        let matching: Vec<(usize, &Suppression, State)> = suppressions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.matches(f))
            .map(|(i, s)| (i, s, s.state(today)))
            .collect();
        let chosen = matching
            .iter()
            .find(|(_, _, state)| *state == State::Active)
            .or(matching.first());
        if let Some(&(index, s, state)) = chosen {
            if state == State::Active {
                f.status = Status::Suppressed;
            }
            f.suppression = Some(Applied {
                index,
                state,
                reason: s.reason.clone(),
                expires: s.expires.clone(),
                approved_by: s.approved_by.clone(),
            });
        }
    }
}

/// Each configured suppression with its state and the findings it matched; one that matched
/// nothing is listed too, so stale entries show up.
pub fn outcomes(
    findings: &[Finding],
    suppressions: &[Suppression],
    collected_at: &str,
) -> Vec<Outcome> {
    let today = day(collected_at);
    suppressions
        .iter()
        .enumerate()
        .map(|(index, s)| Outcome {
            index,
            check: s.check.clone(),
            resource: s.resource.clone(),
            state: s.state(today),
            matched: findings
                .iter()
                .filter(|f| f.suppression.as_ref().is_some_and(|a| a.index == index))
                .count(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Severity;

    fn failing(check: &str, arn: &str) -> Finding {
        Finding {
            check_id: check.into(),
            status: Status::Fail,
            severity: Severity::High,
            resource_arn: Some(arn.into()).filter(|a: &String| !a.is_empty()),
            region: None,
            observed: String::new(),
            expected: String::new(),
            message: String::new(),
            suppression: None,
            terraform: None,
        }
    }

    fn suppression(
        check: &str,
        resource: &str,
        reason: Option<&str>,
        expires: Option<&str>,
    ) -> Suppression {
        Suppression {
            check: check.into(),
            resource: resource.into(),
            reason: reason.map(str::to_owned),
            expires: expires.map(str::to_owned),
            approved_by: Some("cto".into()),
        }
    }

    const NOW: &str = "2026-11-28T03:00:00Z";

    #[test]
    fn an_active_suppression_suppresses_only_what_it_matches() {
        let mut f = vec![
            failing("HARD-09", "arn:aws:cloudfront::1:distribution/E1"),
            failing("HARD-09", "arn:aws:cloudfront::1:distribution/E2"),
            failing("HARD-01", "arn:aws:cloudfront::1:distribution/E1"),
        ];
        let s = [suppression(
            "HARD-09",
            "*/E1",
            Some("global audience"),
            Some("2026-11-28"),
        )];
        apply(&mut f, &s, NOW);
        assert_eq!(f[0].status, Status::Suppressed);
        assert_eq!(
            f[0].suppression.as_ref().unwrap().reason.as_deref(),
            Some("global audience")
        );
        assert_eq!(f[1].status, Status::Fail);
        assert_eq!(f[2].status, Status::Fail);
        assert!(f[1].suppression.is_none() && f[2].suppression.is_none());
        let o = outcomes(&f, &s, NOW);
        assert_eq!((o[0].state, o[0].matched), (State::Active, 1));
    }

    #[test]
    fn an_expired_or_reasonless_suppression_stops_suppressing_and_says_so() {
        let mut f = vec![failing("HA-01", "arn:aws:ecs:eu-west-1:1:service/c/api")];
        let expired = [suppression(
            "HA-01",
            "*",
            Some("one task until launch"),
            Some("2026-11-27"),
        )];
        apply(&mut f, &expired, NOW);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[0].suppression.as_ref().unwrap().state, State::Expired);

        let mut f = vec![failing("HA-01", "arn:aws:ecs:eu-west-1:1:service/c/api")];
        let reasonless = [suppression("HA-01", "*", Some("  "), None)];
        apply(&mut f, &reasonless, NOW);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[0].suppression.as_ref().unwrap().state, State::NoReason);
        assert_eq!(outcomes(&f, &reasonless, NOW)[0].state, State::NoReason);
    }

    #[test]
    fn an_active_suppression_wins_over_an_earlier_expired_one_and_unused_ones_are_listed() {
        let mut f = vec![failing("HA-01", "")];
        let s = [
            suppression("HA-01", "*", Some("old"), Some("2025-01-01")),
            suppression("HA-01", "*", Some("renewed"), None),
            suppression("MON-08", "*", Some("dashboards later"), None),
        ];
        apply(&mut f, &s, NOW);
        assert_eq!(f[0].status, Status::Suppressed);
        assert_eq!(f[0].suppression.as_ref().unwrap().index, 1);
        let o = outcomes(&f, &s, NOW);
        assert_eq!(
            o.iter().map(|o| (o.state, o.matched)).collect::<Vec<_>>(),
            [(State::Expired, 0), (State::Active, 1), (State::Active, 0)]
        );
    }

    #[test]
    fn only_failures_are_suppressed() {
        let mut f = vec![failing("HA-01", "x")];
        f[0].status = Status::Error;
        apply(&mut f, &[suppression("HA-01", "*", Some("r"), None)], NOW);
        assert_eq!(f[0].status, Status::Error);
        assert!(f[0].suppression.is_none());
    }
}
