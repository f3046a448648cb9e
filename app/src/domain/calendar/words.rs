//! A calendar in words: its working days as runs (said in a reader's language by the pages
//! and mails), and the English words of explanations.

use super::{BusinessCalendar, DayOfWeek, WorkingWindow, clock_time_text};

impl BusinessCalendar {
    /// The working days as runs of consecutive days (Monday to Friday is one run), for
    /// saying them in a reader's language ("Mon–Fri", "lun.–ven.", "周一–周五").
    pub fn day_runs(&self) -> Vec<(DayOfWeek, DayOfWeek)> {
        let mut runs: Vec<(DayOfWeek, DayOfWeek)> = Vec::new();
        for &day in &self.working_days {
            match runs.last_mut() {
                Some((_, last)) if last.index() + 1 == day.index() => *last = day,
                _ => runs.push((day, day)),
            }
        }
        runs
    }

    /// English words for explanations: `Europe/Paris 09:00-18:00 Mon-Fri`.
    pub fn describe(&self) -> String {
        if self.is_around_the_clock() {
            return format!("{} 24x7", self.time_zone);
        }
        let mut windows: Vec<(u16, u16)> = self.windows.iter().filter_map(WorkingWindow::minutes).collect();
        windows.sort_unstable();
        let windows: Vec<String> =
            windows.iter().map(|(s, e)| format!("{}-{}", clock_time_text(*s), clock_time_text(*e))).collect();
        let mut text = format!("{} {} {}", self.time_zone, windows.join(", "), self.describe_days());
        match self.holidays.len() {
            0 => {}
            1 => text.push_str(", except 1 public holiday"),
            n => text.push_str(&format!(", except {n} public holidays")),
        }
        text
    }

    /// `Mon-Fri`, `Mon, Wed, Fri`, `Mon-Wed, Sat`, `every day`.
    fn describe_days(&self) -> String {
        if self.working_days.len() == 7 {
            return "every day".into();
        }
        let runs: Vec<String> = self
            .day_runs()
            .iter()
            .map(|(first, last)| match last.index() - first.index() {
                0 => first.short().to_string(),
                1 => format!("{}, {}", first.short(), last.short()),
                _ => format!("{}-{}", first.short(), last.short()),
            })
            .collect();
        runs.join(", ")
    }
}
