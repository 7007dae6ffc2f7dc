//! How often an AWS Backup rule runs: the longest gap between two runs of its schedule, an
//! EventBridge `cron(…)` or `rate(…)` expression in UTC (BackupRule, API reference; cron
//! expressions, EventBridge user guide). Data written just after a run waits that long for
//! the next one, so the gap bounds what a restore from the rule loses.

const MINUTES_PER_DAY: u32 = 24 * 60;

/// The longest gap in minutes between two runs; `None` for an expression this does not read
/// (`L`, `W`, `#`, a month or year restriction, a time zone other than UTC).
pub fn longest_gap_minutes(expression: &str) -> Option<u32> {
    let expression = expression.trim();
    if let Some(rate) = inside(expression, "rate") {
        return rate_minutes(rate);
    }
    let fields: Vec<&str> = inside(expression, "cron")?.split_whitespace().collect();
    let [minute, hour, day_of_month, month, day_of_week, year] = fields[..] else {
        return None;
    };
    if !every(month) || !every(year) {
        return None;
    }
    let minutes = values(minute, 0, 59)?;
    let hours = values(hour, 0, 23)?;
    let times: Vec<u32> = hours
        .iter()
        .flat_map(|h| minutes.iter().map(move |m| h * 60 + m))
        .collect();
    // The days a rule runs on, within a cycle: a week, or a 31-day month whose shorter
    // months only make the gap after the last listed day shorter.
    let (days, cycle) = match (every(day_of_month), every(day_of_week)) {
        (true, true) => (vec![0], 1),
        (false, true) => (values(day_of_month, 1, 31)?, 31),
        (true, false) => (values(&day_names(day_of_week), 1, 7)?, 7),
        (false, false) => return None,
    };
    Some(gap(&days, cycle, &times))
}

/// The longest gap of runs at `times` (minutes of the day, sorted) on `days` of a cycle of
/// `cycle` days, the cycle repeating.
fn gap(days: &[u32], cycle: u32, times: &[u32]) -> u32 {
    let (first, last) = (times[0], times[times.len() - 1]);
    let within_a_day = times.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let between_days = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let next = days.get(i + 1).copied().unwrap_or(days[0] + cycle);
            (next - d) * MINUTES_PER_DAY + first - last
        })
        .max()
        .unwrap_or(0);
    within_a_day.max(between_days)
}

fn inside<'a>(expression: &'a str, function: &str) -> Option<&'a str> {
    expression
        .strip_prefix(function)?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')
}

fn rate_minutes(rate: &str) -> Option<u32> {
    let (n, unit) = rate.trim().split_once(' ')?;
    let n: u32 = n.parse().ok()?;
    let per = match unit.trim().trim_end_matches('s') {
        "minute" => 1,
        "hour" => 60,
        "day" => MINUTES_PER_DAY,
        _ => return None,
    };
    (n > 0).then_some(n * per)
}

fn every(field: &str) -> bool {
    matches!(field, "*" | "?")
}

/// Day-of-week names as EventBridge numbers them (SUN = 1 … SAT = 7).
fn day_names(field: &str) -> String {
    const NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let mut out = field.to_ascii_uppercase();
    for (i, name) in NAMES.iter().enumerate() {
        out = out.replace(name, &(i + 1).to_string());
    }
    out
}

/// The sorted values a cron field selects between `low` and `high`: `*`, `N`, `A-B`, `*/S`,
/// `A/S`, `A-B/S`, and lists of them.
fn values(field: &str, low: u32, high: u32) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (from, to) = match range {
            "*" | "?" => (low, high),
            r => match r.split_once('-') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => {
                    let a = r.parse().ok()?;
                    (a, if part.contains('/') { high } else { a })
                }
            },
        };
        if from < low || to > high || from > to {
            return None;
        }
        out.extend((from..=to).step_by(step as usize));
    }
    out.sort_unstable();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::longest_gap_minutes as gap;

    #[test]
    fn daily_hourly_and_weekly_schedules_give_their_gaps() {
        assert_eq!(gap("cron(0 5 ? * * *)"), Some(24 * 60));
        assert_eq!(gap("cron(15 * ? * * *)"), Some(60));
        assert_eq!(gap("cron(0 */6 ? * * *)"), Some(6 * 60));
        assert_eq!(gap("cron(0 1,13 ? * * *)"), Some(12 * 60));
        assert_eq!(gap("cron(0 3 ? * SUN *)"), Some(7 * 24 * 60));
        assert_eq!(gap("cron(0 3 ? * MON-FRI *)"), Some(3 * 24 * 60));
        assert_eq!(gap("cron(0 0 1 * ? *)"), Some(31 * 24 * 60));
        assert_eq!(gap("rate(12 hours)"), Some(12 * 60));
        assert_eq!(gap("rate(1 day)"), Some(24 * 60));
    }

    #[test]
    fn an_expression_it_cannot_read_gives_none() {
        for e in [
            "cron(0 5 L * ? *)",
            "cron(0 5 ? * 2#1 *)",
            "cron(0 5 ? 1 * *)",
            "cron(0 5 * *)",
            "rate(0 hours)",
            "every day",
        ] {
            assert_eq!(gap(e), None, "{e}");
        }
    }
}
