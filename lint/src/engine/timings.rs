//! Where a run's time goes (`check --timings`, as cargo has): the wall
//! time of each stage, and inside the parallel per-file stage the time its
//! threads spent in each step, summed over files.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The steps of the per-file stage.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    /// Reading the bytes (or taking the cache's row).
    Read,
    /// Decoding, the header and snippet scan, license expressions.
    Scan,
    /// The lexical pre-filter.
    Lex,
    /// syn.
    Parse,
    /// The per-file checks, index data, suppressions.
    Check,
}

const STEPS: [(Step, &str); 5] = [
    (Step::Read, "read"),
    (Step::Scan, "scan"),
    (Step::Lex, "pre-filter"),
    (Step::Parse, "parse"),
    (Step::Check, "check"),
];

/// The clock of one run's stages.
pub(crate) struct Clock {
    started: Instant,
    lap: Instant,
    stages: Vec<(&'static str, Duration)>,
}

/// The time the per-file stage's threads spend in each step.
#[derive(Default)]
pub(crate) struct Steps([AtomicU64; 5]);

impl Clock {
    pub(crate) fn new() -> Self {
        let now = Instant::now();
        Clock { started: now, lap: now, stages: Vec::new() }
    }

    /// Ends stage `name`, begun where the last one ended.
    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push((name, now - self.lap));
        self.lap = now;
    }

    /// What was measured.
    pub(crate) fn finish(self, steps: &Steps) -> Timings {
        let steps = STEPS
            .iter()
            .zip(&steps.0)
            .map(|((_, name), total)| (*name, Duration::from_nanos(total.load(Ordering::Relaxed))))
            .collect();
        Timings { total: self.started.elapsed(), stages: self.stages, steps }
    }
}

impl Steps {
    /// Runs `f` as step `step` of one file's stage (from any thread).
    pub(crate) fn time<T>(&self, step: Step, f: impl FnOnce() -> T) -> T {
        let begun = Instant::now();
        let out = f();
        let nanos = u64::try_from(begun.elapsed().as_nanos()).unwrap_or(u64::MAX);
        if let Some(total) = self.0.get(step as usize) {
            total.fetch_add(nanos, Ordering::Relaxed);
        }
        out
    }
}

/// Where a run's time went.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// From the start of the run to its outcome.
    pub total: Duration,
    /// Each stage's wall time, in order.
    pub stages: Vec<(&'static str, Duration)>,
    /// Each step of the per-file stage: its threads' time, summed over files.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// The table `check --timings` prints.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let secs = |d: &Duration| format!("{:>8.3} s", d.as_secs_f64());
        let mut out = format!("timings: {} in all\n", secs(&self.total).trim_start());
        for (name, d) in &self.stages {
            let _ = writeln!(out, "  {name:<24}{}", secs(d));
        }
        let _ = writeln!(out, "  per-file steps, summed over threads:");
        for (name, d) in &self.steps {
            let _ = writeln!(out, "    {name:<22}{}", secs(d));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_steps_add_up_where_they_were_measured() {
        let mut clock = Clock::new();
        let steps = Steps::default();
        steps.time(Step::Parse, || std::thread::sleep(Duration::from_millis(5)));
        clock.lap("files");
        clock.lap("index");
        let t = clock.finish(&steps);
        assert_eq!(t.stages.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["files", "index"]);
        assert!(t.stages[0].1 >= Duration::from_millis(5));
        let parse = t.steps.iter().find(|(n, _)| *n == "parse").unwrap().1;
        assert!(parse >= Duration::from_millis(5) && t.total >= parse);
        assert!(t.render().contains("  files  "), "{}", t.render());
    }
}
