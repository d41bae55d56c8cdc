//! Where a run's time goes (`check --timings`, as cargo has): the wall
//! time of each stage, the process's peak memory by the stage's end (where
//! the system tells it), and inside the parallel per-file stage the time
//! its threads spent in each step, summed over files.

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
    stages: Vec<Stage>,
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
        self.stages.push(Stage { name, wall: now - self.lap, peak: peak_memory() });
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

/// The process's peak resident memory so far, in bytes: Linux's `VmHWM`;
/// `None` where the system does not tell it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

/// One stage of a run.
#[derive(Debug, Clone)]
pub struct Stage {
    /// What it does.
    pub name: &'static str,
    /// Its wall time.
    pub wall: Duration,
    /// The process's peak memory by its end, where the system tells it.
    pub peak: Option<u64>,
}

/// Where a run's time went.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// From the start of the run to its outcome.
    pub total: Duration,
    /// Each stage, in order.
    pub stages: Vec<Stage>,
    /// Each step of the per-file stage: its threads' time, summed over files.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// The table `check --timings` prints.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let secs = |d: &Duration| format!("{:>8.3} s", d.as_secs_f64());
        let mut out = format!("timings: {} in all\n", secs(&self.total).trim_start());
        for stage in &self.stages {
            let peak = stage.peak.map(|b| format!("{:>8} MB peak", b >> 20)).unwrap_or_default();
            let _ = writeln!(out, "  {:<24}{}{peak}", stage.name, secs(&stage.wall));
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
        assert_eq!(t.stages.iter().map(|s| s.name).collect::<Vec<_>>(), ["files", "index"]);
        assert!(t.stages[0].wall >= Duration::from_millis(5));
        let parse = t.steps.iter().find(|(n, _)| *n == "parse").unwrap().1;
        assert!(parse >= Duration::from_millis(5) && t.total >= parse);
        assert!(t.render().contains("  files  "), "{}", t.render());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn each_stage_tells_the_peak_memory_reached_by_its_end() {
        let mut clock = Clock::new();
        clock.lap("small");
        let big = vec![1u8; 64 << 20];
        clock.lap("big");
        assert!(big.iter().all(|&b| b == 1));
        let t = clock.finish(&Steps::default());
        let (small, big) = (t.stages[0].peak.unwrap(), t.stages[1].peak.unwrap());
        // Never lower than before, and at least what the stage held.
        assert!(big >= small && big >= 64 << 20, "{small} then {big}");
        assert!(t.render().contains(&format!("{} MB peak", big >> 20)), "{}", t.render());
    }
}
