//! A background worker.
pub fn run(jobs: Vec<String>) {
    for job in jobs {
        if let Err(e) = handle(&job) {
            eprintln!("job {job} failed: {e}");
        }
    }
}

fn handle(job: &str) -> Result<(), String> {
    println!("handling {job}");
    Ok(())
}
